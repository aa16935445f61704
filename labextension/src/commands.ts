/**
 * Command ids (namespaced `ipyawssso:*`) and their labels.
 */
export namespace CommandIDs {
  /** Sign in to a profile's sso-session from JupyterLab, without a kernel. */
  export const login = 'ipyawssso:login';
  /** Log out of a sign-in (or all of them). */
  export const logout = 'ipyawssso:logout';
  /** Open the AWS console as a profile's role (a one-time federation link, never shown). */
  export const console = 'ipyawssso:console';
  /** Insert `%load_ext ipyawssso` / `%aws_sso use <profile>` into the active notebook. */
  export const insertSnippet = 'ipyawssso:insert-snippet';
}

/** The palette category of every command. */
export const PALETTE_CATEGORY = 'AWS SSO';
