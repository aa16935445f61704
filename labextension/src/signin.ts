/**
 * Signing in and out from JupyterLab itself: the dialogs behind `ipyawssso:login` and
 * `ipyawssso:logout`. The server runs the device flow; these only show its public state.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import {
  api,
  ApiError,
  FINAL_STATES,
  IProfile,
  ISession,
  ISignInJob
} from './api';
import { DeviceSignInModel, DeviceSignInView, IDeviceInfo } from './devicecard';
import { formatDuration, secondsUntil } from './format';
import { StatusModel } from './model';
import { notifyError } from './notify';

/** How often the dialog asks the server about a pending sign-in (ms). */
const POLL_MS = 1000;

function describe(error: unknown): string {
  return error instanceof ApiError || error instanceof Error
    ? error.message
    : String(error);
}

/** A `<select>` of the SSO profiles; the dialog's value is the chosen name. */
export class ProfilePicker extends Widget {
  constructor(profiles: IProfile[], selected: string | null) {
    super();
    this.addClass('ipyawssso-ProfilePicker');
    const label = document.createElement('label');
    label.textContent = 'Profile';
    this._select = document.createElement('select');
    this._select.className = 'jp-mod-styled ipyawssso-ProfilePicker-select';
    for (const profile of profiles) {
      const option = document.createElement('option');
      option.value = profile.name;
      const role = profile.via
        ? ` (${profile.roleArn ?? 'assumed role'} via ${profile.via})`
        : profile.roleName && profile.accountId
          ? ` (${profile.roleName} @ ${profile.accountId})`
          : '';
      option.textContent = `${profile.name}${role}`;
      option.selected = profile.name === selected;
      this._select.append(option);
    }
    label.append(this._select);
    this.node.append(label);
  }

  /** The chosen profile (read by the dialog). */
  getValue(): string {
    return this._select.value;
  }

  private _select: HTMLSelectElement;
}

/** The dialog body while a sign-in is pending: the device card, kept in step with the job. */
class SignInBody extends Widget {
  constructor(job: ISignInJob) {
    super();
    this.addClass('ipyawssso-SignInBody');
    this.job = job;
    this.card = new DeviceSignInView(
      new DeviceSignInModel(SignInBody.info(job))
    );
    this.node.append(this.card.node);
  }

  /** Map a job to what the card shows. */
  static info(job: ISignInJob): IDeviceInfo {
    return {
      userCode: job.userCode,
      verificationUri: job.verificationUri,
      verificationUriComplete: job.verificationUriComplete,
      expiresAt: job.expiresAt,
      state: job.state,
      profile: job.profile,
      message: job.message
    };
  }

  /** Poll until the job ends (or `stop()`); resolves with its last state. */
  async follow(): Promise<ISignInJob> {
    while (!this._stopped && !FINAL_STATES.has(this.job.state)) {
      await new Promise(resolve => window.setTimeout(resolve, POLL_MS));
      if (this._stopped) {
        break;
      }
      try {
        this.job = await api.signIn(this.job.id);
      } catch (error) {
        this.job = { ...this.job, state: 'error', message: describe(error) };
      }
      this.card.model.update(SignInBody.info(this.job));
    }
    return this.job;
  }

  stop(): void {
    this._stopped = true;
  }

  dispose(): void {
    this.stop();
    this.card.dispose();
    super.dispose();
  }

  job: ISignInJob;
  readonly card: DeviceSignInView;
  private _stopped = false;
}

/**
 * Sign in to a profile's sso-session: pick the profile (unless given), then show the code
 * until it is approved; the dialog closes by itself on success.
 *
 * @returns whether the profile ended up signed in.
 */
export async function signIn(
  model: StatusModel,
  options: { profile?: string; force?: boolean } = {}
): Promise<boolean> {
  await model.refresh();
  const status = model.status;
  if (!status) {
    notifyError(
      'AWS SSO',
      `cannot reach the ipyawssso server extension: ${model.error}`
    );
    return false;
  }
  let profile = options.profile;
  if (!profile) {
    if (status.profiles.length === 0) {
      await showDialog({
        title: 'AWS SSO: Sign in',
        body:
          'There is no SSO profile in ~/.aws/config yet. Create one in a notebook with ' +
          '%aws_sso login NAME --start-url URL --sso-region REGION (or the %aws_sso panel).',
        buttons: [Dialog.okButton({ label: 'OK' })]
      });
      return false;
    }
    const picked = await showDialog<string>({
      title: 'AWS SSO: Sign in',
      body: new ProfilePicker(status.profiles, model.inUse?.profile ?? null),
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Sign in' })],
      focusNodeSelector: 'select'
    });
    if (!picked.button.accept || !picked.value) {
      return false;
    }
    profile = picked.value;
  }

  let job: ISignInJob;
  try {
    job = await api.startSignIn(profile, options.force ?? false);
  } catch (error) {
    notifyError('AWS SSO', describe(error));
    return false;
  }

  const body = new SignInBody(job);
  if (job.state !== 'signed_in') {
    const dialog = new Dialog({
      title: `AWS SSO: Sign in (${profile})`,
      body,
      buttons: [Dialog.cancelButton({ label: 'Cancel' })]
    });
    dialog.addClass('ipyawssso-SignInDialog');
    void body.follow().then(last => {
      if (last.state === 'signed_in' && !dialog.isDisposed) {
        dialog.resolve(0);
      }
    });
    await dialog.launch();
  }
  body.stop();
  const last = body.job;
  body.dispose();
  if (!FINAL_STATES.has(last.state)) {
    try {
      await api.cancelSignIn(last.id);
    } catch {
      // It may have ended meanwhile; the refresh below shows the truth either way.
    }
  }
  await model.refresh();
  if (last.state === 'signed_in') {
    const left = secondsUntil(last.sessionExpiresAt);
    const time = left !== null ? ` for ${formatDuration(left)}` : '';
    Notification.success(`AWS SSO: ${profile} is signed in${time}.`, {
      autoClose: 5000
    });
    return true;
  }
  return false;
}

/** A sign-in as the log-out questions name it: its key, then the profiles that use it. */
function withProfiles(session: ISession): string {
  return `${session.key} (profiles: ${session.profiles.join(', ')})`;
}

/**
 * Log out of a profile's sign-in, or of every sign-in (`all`). Without either, asks which.
 */
export async function logOut(
  model: StatusModel,
  options: { profile?: string; all?: boolean; confirm?: boolean } = {}
): Promise<boolean> {
  let target: { profile?: string; all?: boolean } = options;
  if (options.profile && options.confirm) {
    // Asked from a button (the status popup): the same question the palette asks.
    const profile = options.profile;
    const session = (model.status?.sessions ?? []).find(s =>
      s.profiles.includes(profile)
    );
    const name = session?.key ?? profile;
    const answer = await showDialog({
      title: 'AWS SSO: Log out',
      body: `Log out of ${session ? withProfiles(session) : profile}? Kernels using it need a new sign-in afterwards.`,
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: `Log out of ${name}` })
      ]
    });
    if (!answer.button.accept) {
      return false;
    }
    target = { profile };
  } else if (!options.profile && !options.all) {
    await model.refresh();
    const inUse = model.inUse;
    const session = model.session;
    const signedIn = (model.status?.sessions ?? []).filter(s => s.expiresAt);
    if (signedIn.length === 0) {
      Notification.info('AWS SSO: nothing to log out of.', { autoClose: 4000 });
      return false;
    }
    const buttons = [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: 'Log out of all' })
    ];
    if (inUse && session?.expiresAt) {
      buttons.push(Dialog.warnButton({ label: `Log out of ${session.key}` }));
    }
    const answer = await showDialog({
      title: 'AWS SSO: Log out',
      body:
        inUse && session?.expiresAt
          ? `Log out of ${withProfiles(session)}, or of every AWS sign-in on this machine?`
          : 'Log out of every AWS sign-in on this machine?',
      buttons
    });
    if (!answer.button.accept) {
      return false;
    }
    target =
      answer.button.label === 'Log out of all'
        ? { all: true }
        : { profile: inUse!.profile };
  }
  try {
    const result = await api.logout(target);
    const names = result.loggedOut.length
      ? result.loggedOut.join(', ')
      : 'nothing';
    Notification.info(`AWS SSO: logged out of ${names}.`, { autoClose: 4000 });
    return true;
  } catch (error) {
    notifyError('AWS SSO', describe(error));
    return false;
  } finally {
    await model.refresh();
  }
}
