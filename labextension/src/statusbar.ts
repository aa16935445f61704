/**
 * The status bar item `AWS: <profile> · 7h12m` and its popup listing every sign-in.
 *
 * Views only: they render a {@link StatusModel} and run commands; they never call the API.
 */
import { showPopup, Popup } from '@jupyterlab/statusbar';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { ISession } from './api';
import { CommandIDs } from './commands';
import { button, element } from './dom';
import { formatDuration } from './format';
import { StatusLevel, StatusModel } from './model';

/** The text the item shows for a model (exported for the popup and for reuse). */
export function statusText(model: StatusModel): string {
  const level = model.level();
  const profile = model.inUse?.profile;
  switch (level) {
    case 'unavailable':
      return 'AWS: unavailable';
    case 'signed-out':
      return profile ? `AWS: ${profile} · signed out` : 'AWS: signed out';
    case 'expired':
      return `AWS: ${profile} · expired`;
    default:
      return `AWS: ${profile} · ${formatDuration(model.secondsLeft() ?? 0)}`;
  }
}

function timeLeftText(model: StatusModel, session: ISession): string {
  const level = model.level(session);
  if (level === 'signed-out') {
    return 'signed out';
  }
  if (level === 'expired') {
    return 'expired';
  }
  return `${formatDuration(model.secondsLeft(session) ?? 0)} left`;
}

const LEVELS: StatusLevel[] = [
  'ok',
  'warning',
  'expired',
  'signed-out',
  'unavailable'
];

function setLevel(node: HTMLElement, level: StatusLevel): void {
  for (const each of LEVELS) {
    node.classList.toggle(`ipyawssso-mod-${each}`, each === level);
  }
  node.dataset.level = level;
}

/** The status bar item; a click opens {@link SessionsPopupBody}. */
export class StatusItem extends Widget {
  constructor(
    readonly model: StatusModel,
    private readonly _commands: CommandRegistry
  ) {
    super({ node: document.createElement('div') });
    this.addClass('ipyawssso-StatusItem');
    this.addClass('jp-StatusBar-TextItem');
    this.node.id = 'ipyawssso-status';
    this.node.setAttribute('role', 'button');
    this.node.tabIndex = 0;
    this.node.addEventListener('click', () => this.togglePopup());
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.togglePopup();
      }
    });
    model.changed.connect(this._render, this);
    this._render();
  }

  /** Open the popup, or close it when it is open. */
  togglePopup(): void {
    if (this._popup && !this._popup.isDisposed) {
      this._popup.dispose();
      this._popup = null;
      return;
    }
    void this.model.refresh();
    const body = new SessionsPopupBody(this.model, this._commands, () => {
      this._popup?.dispose();
      this._popup = null;
    });
    this._popup = showPopup({
      body,
      anchor: this,
      align: 'left',
      hasDynamicSize: true
    });
  }

  dispose(): void {
    this.model.changed.disconnect(this._render, this);
    this._popup?.dispose();
    super.dispose();
  }

  private _render(): void {
    const level = this.model.level();
    this.node.textContent = statusText(this.model);
    setLevel(this.node, level);
    const origin = this.model.origin;
    this.node.dataset.origin = origin;
    const session = this.model.session;
    const tips = [
      session ? `Sign-in: ${session.key} (${session.startUrl})` : '',
      origin === 'settings' ? 'Profile pinned in the settings.' : '',
      origin === 'kernel' ? "Profile from the kernel's AWS_PROFILE." : '',
      level === 'warning' ? 'Expires soon: sign in again.' : '',
      level === 'expired' ? 'The sign-in expired: sign in again.' : '',
      this.model.error ?? '',
      'Click for every AWS sign-in.'
    ];
    this.node.title = tips.filter(Boolean).join('\n');
  }

  private _popup: Popup | null = null;
}

/**
 * The popup: each sso-session with time left, its profiles, "Sign in again", "Console" and
 * "Log out".
 */
export class SessionsPopupBody extends Widget {
  constructor(
    readonly model: StatusModel,
    private readonly _commands: CommandRegistry,
    private readonly _close: () => void
  ) {
    super();
    this.addClass('ipyawssso-Popup');
    model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this.model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _run(command: string, args: Record<string, any>): void {
    this._close();
    void this._commands.execute(command, args);
  }

  /** Rebuilds the list when the server's answer changes; otherwise updates the times only. */
  private _render(): void {
    const status = this.model.status;
    if (status !== this._shown) {
      this._shown = status;
      this._build();
    }
    for (const [session, row] of this._rows) {
      const time = row.querySelector('.ipyawssso-Popup-time') as HTMLElement;
      time.textContent = timeLeftText(this.model, session);
      setLevel(row, this.model.level(session));
    }
  }

  private _build(): void {
    const doc = this.node.ownerDocument;
    const el = (tag: string, cls: string, text = '') =>
      element(doc, tag, cls, text);
    const action = (label: string, cls: string, onClick: () => void) =>
      button(doc, label, cls, onClick);
    this.node.replaceChildren();
    this._rows = [];
    this.node.append(el('div', 'ipyawssso-Popup-title', 'AWS sign-ins'));
    const status = this.model.status;
    if (!status) {
      this.node.append(
        el('div', 'ipyawssso-Popup-empty', this.model.error ?? 'Loading…')
      );
      return;
    }
    if (status.sessions.length === 0) {
      this.node.append(
        el(
          'div',
          'ipyawssso-Popup-empty',
          'No SSO profiles in ~/.aws/config yet. Create one with %aws_sso login in a notebook.'
        )
      );
    }
    for (const session of status.sessions) {
      const row = el('div', 'ipyawssso-Popup-session');
      row.dataset.session = session.key;
      const head = el('div', 'ipyawssso-Popup-head');
      head.append(
        el('span', 'ipyawssso-Popup-name', session.key),
        el('span', 'ipyawssso-Popup-time')
      );
      const detail = el(
        'div',
        'ipyawssso-Popup-detail',
        `${session.startUrl} · ${session.region}`
      );
      const profiles = el(
        'div',
        'ipyawssso-Popup-profiles',
        session.profiles.length
          ? `Profiles: ${session.profiles.join(', ')}`
          : 'No profiles'
      );
      const actions = el('div', 'ipyawssso-Popup-actions');
      const first = session.profiles[0];
      if (first) {
        actions.append(
          action('Sign in again', 'jp-mod-accept ipyawssso-Popup-signin', () =>
            this._run(CommandIDs.login, { profile: first, force: true })
          )
        );
        if (session.expiresAt) {
          actions.append(
            action('Console', 'ipyawssso-Popup-console', () =>
              this._run(CommandIDs.console, { profile: first })
            )
          );
          actions.append(
            action('Log out', 'jp-mod-warn ipyawssso-Popup-logout', () =>
              this._run(CommandIDs.logout, { profile: first, confirm: true })
            )
          );
        }
      }
      row.append(head, detail, profiles, actions);
      this.node.append(row);
      this._rows.push([session, row]);
    }
    this.node.append(
      action('Sign in…', 'jp-mod-reject ipyawssso-Popup-new', () =>
        this._run(CommandIDs.login, {})
      )
    );
  }

  private _shown: unknown = undefined;
  private _rows: [ISession, HTMLElement][] = [];
}
