/**
 * The REST API of the ipyawssso server extension, typed.
 *
 * The server answers with names, start URLs, user codes, verification links and times only;
 * it never sends a token, so nothing here ever holds one.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** One sign-in: an `[sso-session]`, or a start URL for legacy profiles. */
export interface ISession {
  /** The session name, else the start URL: how the UI names this sign-in. */
  key: string;
  name: string | null;
  startUrl: string;
  region: string;
  /** ISO 8601 (UTC); null when never signed in or logged out. */
  expiresAt: string | null;
  signedIn: boolean;
  refreshable: boolean;
  profiles: string[];
  lastSignIn: string | null;
}

/**
 * A profile that signs in through IAM Identity Center: an SSO profile, or a chained one
 * (`role_arn` + `source_profile`) whose chain ends at the SSO profile named in `via`.
 */
export interface IProfile {
  name: string;
  key: string | null;
  accountId: string | null;
  roleName: string | null;
  region: string | null;
  via: string | null;
  roleArn: string | null;
}

/** The profile the status bar shows, and why the server picked it. */
export interface IInUse {
  profile: string;
  key: string | null;
  source: 'request' | 'recent' | 'environment' | 'default';
}

/** GET status. */
export interface IStatus {
  now: string;
  sessions: ISession[];
  profiles: IProfile[];
  inUse: IInUse | null;
}

/** The states of a device sign-in, as the server and the MIME payload name them. */
export type SignInState =
  | 'starting'
  | 'pending'
  | 'signed_in'
  | 'expired'
  | 'denied'
  | 'cancelled'
  | 'error';

/** States after which nothing changes any more. */
export const FINAL_STATES: ReadonlySet<SignInState> = new Set<SignInState>([
  'signed_in',
  'expired',
  'denied',
  'cancelled',
  'error'
]);

/** A sign-in run by the server (POST login, GET/DELETE login/<id>). */
export interface ISignInJob {
  id: string;
  key: string;
  profile: string;
  state: SignInState;
  /** True when this request joined a sign-in already in progress. */
  joined: boolean;
  userCode: string | null;
  verificationUri: string | null;
  verificationUriComplete: string | null;
  /** When the code expires (ISO 8601). */
  expiresAt: string | null;
  message: string | null;
  /** When the new sign-in expires, once signed in. */
  sessionExpiresAt: string | null;
}

/**
 * What became of a sign-in a kernel waits on (GET kernel-signins/<id>): `waiting` while its
 * kernel waits, the outcome the kernel recorded, `ended` when the kernel went away while it
 * waited, `unknown` when this server has no such sign-in (long gone, or another machine's).
 */
export interface IKernelSignIn {
  id: string;
  state:
    | 'waiting'
    | 'ended'
    | 'unknown'
    | 'signed_in'
    | 'cancelled'
    | 'replaced'
    | 'denied'
    | 'expired'
    | 'error';
  profile: string | null;
}

/** An error answer of the API, with the server's one-line explanation. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Call the API: `path` is relative to `<base_url>/ipyawssso/api/`.
 *
 * @throws {ApiError} on any answer other than 2xx, with the server's message.
 */
export async function requestAPI<T>(
  path: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'ipyawssso', 'api', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(`The Jupyter server did not answer (${error}).`, 0);
  }
  const text = await response.text();
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message =
      (data && (data.message || data.reason)) ||
      `The ipyawssso server extension answered ${response.status}.`;
    throw new ApiError(String(message), response.status);
  }
  return data as T;
}

/** Thin, typed wrappers over the endpoints. */
export const api = {
  status(profile?: string): Promise<IStatus> {
    const query = profile ? `?profile=${encodeURIComponent(profile)}` : '';
    return requestAPI<IStatus>(`status${query}`);
  },
  /** A fingerprint of the tokens and the config on disk: it changes when a sign-in does. */
  stamp(): Promise<{ stamp: string }> {
    return requestAPI<{ stamp: string }>('status/stamp');
  },
  startSignIn(profile: string, force = false): Promise<ISignInJob> {
    return requestAPI<ISignInJob>('login', {
      method: 'POST',
      body: JSON.stringify({ profile, force })
    });
  },
  signIn(id: string): Promise<ISignInJob> {
    return requestAPI<ISignInJob>(`login/${encodeURIComponent(id)}`);
  },
  cancelSignIn(id: string): Promise<ISignInJob> {
    return requestAPI<ISignInJob>(`login/${encodeURIComponent(id)}`, {
      method: 'DELETE'
    });
  },
  kernelSignIn(id: string): Promise<IKernelSignIn> {
    return requestAPI<IKernelSignIn>(
      `kernel-signins/${encodeURIComponent(id)}`
    );
  },
  stopKernelSignIn(
    id: string,
    reason: 'cancel' | 'rerun'
  ): Promise<IKernelSignIn> {
    return requestAPI<IKernelSignIn>(
      `kernel-signins/${encodeURIComponent(id)}/stop`,
      {
        method: 'POST',
        body: JSON.stringify({ reason })
      }
    );
  },
  /** A one-time console sign-in link for the profile's role: open it at once, keep it nowhere. */
  consoleLink(profile: string, service?: string): Promise<{ url: string }> {
    return requestAPI<{ url: string }>('console', {
      method: 'POST',
      body: JSON.stringify({ profile, service: service || null })
    });
  },
  logout(target: {
    profile?: string;
    all?: boolean;
  }): Promise<{ loggedOut: string[] }> {
    return requestAPI<{ loggedOut: string[] }>('logout', {
      method: 'POST',
      body: JSON.stringify(target)
    });
  }
};
