/**
 * The device card: the code to confirm, a copy button, a button that opens the verification
 * page, a countdown and the outcome. The MIME renderer and the sign-in dialog both show it.
 *
 * Model and view are separate: {@link DeviceSignInModel} holds the payload and signals changes,
 * {@link DeviceSignInView} renders it. Every value is set with `textContent` (never HTML), so a
 * payload cannot inject markup.
 */
import { Clipboard } from '@jupyterlab/apputils';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { SignInState } from './api';
import { button, element } from './dom';
import { formatCountdown, safeLink, secondsUntil } from './format';

/** The MIME type the magics emit for a device sign-in. */
export const DEVICE_MIME_TYPE = 'application/vnd.ipyawssso.device+json';

/**
 * The states a card shows: the sign-in's, plus `ended` (the kernel that waited on it is gone,
 * or never came back: see kernelsignin.ts).
 */
export type CardState = SignInState | 'ended';

/** The payload of {@link DEVICE_MIME_TYPE} (and what the dialog shows). */
export interface IDeviceInfo {
  userCode: string | null;
  verificationUri: string | null;
  verificationUriComplete: string | null;
  /** When the code expires (ISO 8601). */
  expiresAt: string | null;
  state: CardState;
  profile: string | null;
  message?: string | null;
  /** The id under which the kernel registered its wait with the server, if it did. */
  signIn?: string | null;
}

const STATE_TEXT: Record<CardState, string> = {
  starting: 'Asking IAM Identity Center for a code…',
  pending: 'Waiting for you to approve the code in the browser.',
  signed_in: 'Signed in.',
  expired: 'The code expired before it was approved.',
  denied: 'The sign-in was denied.',
  cancelled: 'The sign-in was cancelled.',
  error: 'The sign-in failed.',
  ended: 'This sign-in ended with its kernel; run the cell again.'
};

/**
 * Read a payload defensively: unknown fields are dropped, wrong types become null.
 */
export function readDeviceInfo(data: unknown): IDeviceInfo {
  const value = (data && typeof data === 'object' ? data : {}) as Record<
    string,
    unknown
  >;
  const text = (key: string): string | null =>
    typeof value[key] === 'string' ? (value[key] as string) : null;
  const state = text('state') as CardState | null;
  return {
    userCode: text('userCode'),
    verificationUri: text('verificationUri'),
    verificationUriComplete: text('verificationUriComplete'),
    expiresAt: text('expiresAt'),
    state: state && state in STATE_TEXT ? state : 'pending',
    profile: text('profile'),
    message: text('message'),
    signIn: text('signIn')
  };
}

/** Holds one device sign-in's public state. */
export class DeviceSignInModel {
  constructor(info: IDeviceInfo) {
    this._info = info;
  }

  /** The current payload. */
  get info(): IDeviceInfo {
    return this._info;
  }

  /** Emitted after {@link DeviceSignInModel.update}. */
  get changed(): ISignal<this, IDeviceInfo> {
    return this._changed;
  }

  /** Replace the payload (a display update, or a new poll answer). */
  update(info: IDeviceInfo): void {
    this._info = info;
    this._changed.emit(info);
  }

  /**
   * What the card's Cancel button does, or null for no button (set once the server confirmed
   * that a kernel waits on this sign-in).
   */
  get cancel(): (() => void) | null {
    return this._cancel;
  }

  set cancel(value: (() => void) | null) {
    this._cancel = value;
    this._changed.emit(this._info);
  }

  private _info: IDeviceInfo;
  private _cancel: (() => void) | null = null;
  private _changed = new Signal<this, IDeviceInfo>(this);
}

/** Renders a {@link DeviceSignInModel}; ticks its countdown once a second while pending. */
export class DeviceSignInView extends Widget {
  constructor(model: DeviceSignInModel) {
    super();
    this.model = model;
    this.addClass('ipyawssso-DeviceCard');
    this.node.setAttribute('data-ipyawssso', 'device-card');
    this._build();
    model.changed.connect(this._render, this);
    this._render();
    this._timer = window.setInterval(() => this._renderCountdown(), 1000);
  }

  /** The model this card shows. */
  readonly model: DeviceSignInModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    window.clearInterval(this._timer);
    this.model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _build(): void {
    const doc = this.node.ownerDocument;
    const el = (tag: string, cls: string) => element(doc, tag, cls);
    this._title = el('div', 'ipyawssso-DeviceCard-title');
    const row = el('div', 'ipyawssso-DeviceCard-codeRow');
    this._code = el('code', 'ipyawssso-DeviceCard-code');
    this._copy = button(
      doc,
      'Copy code',
      'jp-mod-reject ipyawssso-DeviceCard-copy',
      () => void this._copyCode(),
      'Copy the code to the clipboard'
    );
    // Opened from the user's click, so popup blockers let it through.
    this._open = button(
      doc,
      'Open sign-in page',
      'jp-mod-accept ipyawssso-DeviceCard-open',
      () => this._openPage()
    );
    this._cancelButton = button(
      doc,
      'Cancel',
      'jp-mod-reject ipyawssso-DeviceCard-cancel',
      () => {
        this._cancelButton.toggleAttribute('disabled', true);
        this.model.cancel?.();
      },
      'Stop this sign-in (the kernel stops waiting)'
    );
    row.append(this._code, this._copy, this._open, this._cancelButton);
    this._row = row;
    this._hint = el('div', 'ipyawssso-DeviceCard-hint');
    this._countdown = el('div', 'ipyawssso-DeviceCard-countdown');
    this._state = el('div', 'ipyawssso-DeviceCard-state');
    this.node.append(
      this._title,
      row,
      this._hint,
      this._countdown,
      this._state
    );
  }

  private _render(): void {
    const info = this._shownInfo();
    const profile = info.profile ? ` for ${info.profile}` : '';
    this._title.textContent = `AWS sign-in${profile}`;
    this._code.textContent = info.userCode || '…';
    const pending = info.state === 'pending' || info.state === 'starting';
    // Once it is over the code is useless (the magics drop it from the payload): hide it.
    this._row.hidden = !pending && !info.userCode;
    this._copy.toggleAttribute('disabled', !info.userCode);
    this._open.toggleAttribute(
      'disabled',
      !pending ||
        !safeLink(info.verificationUriComplete ?? info.verificationUri)
    );
    const page = safeLink(info.verificationUri);
    this._hint.textContent =
      page && pending
        ? `Confirm this code at ${page} (the button opens it with the code filled in).`
        : '';
    this.node.dataset.state = info.state;
    this._state.textContent = info.message || STATE_TEXT[info.state];
    this._state.className = `ipyawssso-DeviceCard-state ipyawssso-mod-${info.state}`;
    this._cancelButton.hidden = !(pending && this.model.cancel);
    this._cancelButton.toggleAttribute('disabled', false);
    this._renderCountdown();
  }

  /**
   * The payload as it should look now: a code past its expiry is no longer waited on, even
   * when nobody said so (a saved notebook, a kernel that could not update its card).
   */
  private _shownInfo(): IDeviceInfo {
    const info = this.model.info;
    const left = secondsUntil(info.expiresAt);
    if (info.state === 'pending' && left !== null && left <= 0) {
      return { ...info, state: 'expired', userCode: null };
    }
    return info;
  }

  private _renderCountdown(): void {
    const info = this.model.info;
    const left = secondsUntil(info.expiresAt);
    if (info.state !== 'pending' || left === null) {
      this._countdown.textContent = '';
      return;
    }
    if (left <= 0 && this.node.dataset.state === 'pending') {
      this._render(); // the code just expired: the card says so, not only the countdown
      return;
    }
    this._countdown.textContent =
      left > 0
        ? `Code expires in ${formatCountdown(left)}`
        : 'The code has expired.';
  }

  private _openPage(): void {
    const info = this.model.info;
    const url = safeLink(info.verificationUriComplete ?? info.verificationUri);
    if (url) {
      window.open(url, '_blank', 'noopener');
    }
  }

  private async _copyCode(): Promise<void> {
    const code = this.model.info.userCode;
    if (!code) {
      return;
    }
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      // No async clipboard (insecure origin, old browser): the document-level copy works.
      Clipboard.copyToSystem(code);
    }
    this._copy.textContent = 'Copied';
    window.setTimeout(() => {
      if (!this.isDisposed) {
        this._copy.textContent = 'Copy code';
      }
    }, 1500);
  }

  private _timer: number;
  private _title!: HTMLElement;
  private _row!: HTMLElement;
  private _code!: HTMLElement;
  private _copy!: HTMLElement;
  private _open!: HTMLElement;
  private _cancelButton!: HTMLElement;
  private _hint!: HTMLElement;
  private _countdown!: HTMLElement;
  private _state!: HTMLElement;
}
