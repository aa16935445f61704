/**
 * The status model: what the server says about the sign-ins, kept fresh, plus the clock.
 *
 * It polls `GET status` every `refreshInterval` seconds while `pollWhen()` allows (and at once
 * after a sign-in or log out made here, or when the current kernel's `AWS_PROFILE` changes),
 * ticks once a second so the time left counts down between polls, and signals
 * `changed` for the views. Between two polls it asks every {@link STAMP_MS} ms (also only
 * while `pollWhen()` allows) for a fingerprint of the tokens and the config on disk (a few
 * `stat` calls on the server) and refreshes when it changed, so a sign-in or log out made in a
 * kernel, a terminal or another tab shows within about two seconds. It holds no DOM.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { api, IInUse, ISession, IStatus } from './api';
import { secondsUntil } from './format';

/** How the status bar should look. */
export type StatusLevel =
  'ok' | 'warning' | 'expired' | 'signed-out' | 'unavailable';

/** Settings the model follows (see schema/plugin.json). */
export interface IStatusSettings {
  /** Seconds between two status requests. */
  refreshInterval: number;
  /** Minutes left under which the item turns amber. */
  warningMinutes: number;
  /** A profile to always show (before the kernel's); empty to follow the kernel. */
  profile: string;
}

/** Where the profile the model asks the server about comes from. */
export type ProfileOrigin = 'settings' | 'kernel' | 'server';

/** How often the model asks whether anything changed on disk (ms). */
export const STAMP_MS = 2000;

export const DEFAULT_SETTINGS: IStatusSettings = {
  refreshInterval: 30,
  warningMinutes: 15,
  profile: ''
};

/** The status of the sign-ins, from the server extension. */
export class StatusModel {
  constructor(
    settings: Partial<IStatusSettings> = {},
    fetchStatus: (profile?: string) => Promise<IStatus> = api.status,
    fetchStamp: () => Promise<{ stamp: string }> = api.stamp
  ) {
    this._settings = { ...DEFAULT_SETTINGS, ...settings };
    this._fetch = fetchStatus;
    this._fetchStamp = fetchStamp;
  }

  /** Emitted when the data, the clock or the settings change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The last answer of the server, or null before the first one (or when it failed). */
  get status(): IStatus | null {
    return this._status;
  }

  /** Why the last refresh failed, if it did. */
  get error(): string | null {
    return this._error;
  }

  get settings(): IStatusSettings {
    return this._settings;
  }

  /** True once there is at least one SSO profile to show. */
  get hasProfiles(): boolean {
    return !!this._status && this._status.profiles.length > 0;
  }

  /**
   * The current kernel's `AWS_PROFILE` (see kernelprofile.ts), or null for none. The server
   * is asked about it unless the settings pin a profile; without either it picks the most
   * recent sign-in.
   */
  get kernelProfile(): string | null {
    return this._kernelProfile;
  }

  set kernelProfile(profile: string | null) {
    const value = profile || null;
    if (value === this._kernelProfile) {
      return;
    }
    this._kernelProfile = value;
    if (this._started) {
      void this.refresh();
    }
  }

  /** The profile to ask the server about: the settings' pin, else the kernel's. */
  get requestedProfile(): string | null {
    return this._settings.profile || this._kernelProfile;
  }

  /**
   * Why the profile shown is the one shown: pinned in the settings, the kernel's
   * `AWS_PROFILE`, or the server's choice (the kernel's profile is not an SSO profile of
   * `~/.aws/config`, or there is no kernel profile to follow).
   */
  get origin(): ProfileOrigin {
    const inUse = this.inUse;
    if (!inUse || inUse.source !== 'request') {
      return 'server';
    }
    return this._settings.profile && inUse.profile === this._settings.profile
      ? 'settings'
      : 'kernel';
  }

  /** The profile shown in the status bar. */
  get inUse(): IInUse | null {
    return this._status?.inUse ?? null;
  }

  /** The sign-in of the profile in use. */
  get session(): ISession | null {
    const inUse = this.inUse;
    if (!inUse || !this._status) {
      return null;
    }
    return this._status.sessions.find(s => s.key === inUse.key) ?? null;
  }

  /** Seconds left on a sign-in, corrected for the difference between the two clocks. */
  secondsLeft(session: ISession | null = this.session): number | null {
    if (!session) {
      return null;
    }
    return secondsUntil(session.expiresAt, Date.now() + this._skew);
  }

  /** How a sign-in (by default the one in use) should look. */
  level(session: ISession | null = this.session): StatusLevel {
    if (!this._status) {
      return this._error ? 'unavailable' : 'signed-out';
    }
    const left = this.secondsLeft(session);
    if (left === null) {
      return 'signed-out';
    }
    if (left <= 0) {
      return 'expired';
    }
    return left < this._settings.warningMinutes * 60 ? 'warning' : 'ok';
  }

  /** Apply new settings (restarts the poll if the period changed). */
  configure(settings: Partial<IStatusSettings>): void {
    const before = this._settings;
    this._settings = { ...before, ...settings };
    if (
      this._started &&
      before.refreshInterval !== this._settings.refreshInterval
    ) {
      this._schedule();
    }
    if (before.profile !== this._settings.profile) {
      void this.refresh();
    }
    this._changed.emit();
  }

  /**
   * Whether the timer may ask the server now: by default while the page is visible. The
   * plugin adds "and a notebook is open", so an idle JupyterLab (the launcher, a hidden tab)
   * sends nothing and a JupyterHub's idle culler can stop its server.
   */
  pollWhen: () => boolean = () => document.visibilityState !== 'hidden';

  /** Ask the server now if polling is allowed (a notebook opened, the page became visible). */
  wake(): void {
    if (this._started && this.pollWhen()) {
      void this.refresh();
    }
  }

  /** Start polling and ticking. */
  start(): void {
    if (this._started) {
      return;
    }
    this._started = true;
    this._tick = window.setInterval(() => this._changed.emit(), 1000);
    this._stampTimer = window.setInterval(() => {
      if (this.pollWhen()) {
        void this._checkStamp();
      }
    }, STAMP_MS);
    this._schedule();
    void this.refresh();
  }

  /** Ask the server now. Concurrent calls share one request. */
  refresh(): Promise<void> {
    if (!this._pending) {
      this._pending = this._refresh().finally(() => {
        this._pending = null;
      });
    }
    return this._pending;
  }

  dispose(): void {
    window.clearInterval(this._tick);
    window.clearInterval(this._poll);
    window.clearInterval(this._stampTimer);
    this._started = false;
    Signal.clearData(this);
  }

  private async _refresh(): Promise<void> {
    try {
      let requested: string | null;
      let status: IStatus;
      do {
        // The kernel's profile may change while a request is out: ask again if it did.
        requested = this.requestedProfile;
        status = await this._fetch(requested || undefined);
      } while (requested !== this.requestedProfile);
      const serverNow = Date.parse(status.now);
      this._skew = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
      this._status = status;
      this._error = null;
    } catch (error) {
      this._status = null;
      this._error = error instanceof Error ? error.message : String(error);
    }
    this._changed.emit();
  }

  /** Refresh when the fingerprint of the files on disk changed since the last look. */
  private async _checkStamp(): Promise<void> {
    if (this._stampOut) {
      return;
    }
    this._stampOut = true;
    try {
      const { stamp } = await this._fetchStamp();
      const before = this._stamp;
      this._stamp = stamp;
      if (before !== null && before !== stamp) {
        await this.refresh();
      }
    } catch {
      // The full poll reports a server that does not answer; nothing to add here.
    } finally {
      this._stampOut = false;
    }
  }

  private _schedule(): void {
    window.clearInterval(this._poll);
    const seconds = Math.max(2, this._settings.refreshInterval);
    this._poll = window.setInterval(() => {
      if (this.pollWhen()) {
        void this.refresh();
      }
    }, seconds * 1000);
  }

  private _settings: IStatusSettings;
  private _kernelProfile: string | null = null;
  private _fetch: (profile?: string) => Promise<IStatus>;
  private _fetchStamp: () => Promise<{ stamp: string }>;
  private _stamp: string | null = null;
  private _stampOut = false;
  private _stampTimer = 0;
  private _status: IStatus | null = null;
  private _error: string | null = null;
  private _skew = 0;
  private _started = false;
  private _tick = 0;
  private _poll = 0;
  private _pending: Promise<void> | null = null;
  private _changed = new Signal<this, void>(this);
}
