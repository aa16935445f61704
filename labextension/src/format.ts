/**
 * Small pure helpers shared by the status bar, the dialog and the device card.
 */

/**
 * Time left in the status bar's compact form: `7h12m`, `14m`, `42s`.
 *
 * @param seconds - seconds left; zero or less means nothing is left.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (hours > 0) {
    return `${hours}h${String(minutes).padStart(2, '0')}m`;
  }
  if (minutes > 0) {
    return `${minutes}m`;
  }
  return `${s % 60}s`;
}

/**
 * A countdown for a device code: `9:58` (`1:02:03` past an hour).
 *
 * @param seconds - seconds left.
 */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  }
  return `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/**
 * Seconds from `now` until an ISO 8601 time; `null` for no time.
 */
export function secondsUntil(
  iso: string | null,
  now: number = Date.now()
): number | null {
  if (!iso) {
    return null;
  }
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : (at - now) / 1000;
}

/**
 * Only http(s) links are ever opened: a payload cannot make a button run `javascript:`.
 */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) {
    return null;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? parsed.href
      : null;
  } catch {
    return null;
  }
}

/**
 * The two lines that make a kernel use a profile (quoted when the name needs it).
 */
export function sessionSnippet(profile: string): string {
  const name = /^[A-Za-z0-9_.@+-]+$/.test(profile)
    ? profile
    : `"${profile.replace(/(["\\])/g, '\\$1')}"`;
  return `%load_ext ipyawssso\n%aws_sso use ${name}`;
}

/** Where JupyterLab cuts a notification's message. */
export const NOTIFICATION_LIMIT = 140;

/**
 * `text` as a notification can show it: whole when it fits in `limit` characters, else cut
 * at a word boundary and ended with an ellipsis (never mid-word, never over the limit).
 */
export function shorten(text: string, limit = NOTIFICATION_LIMIT): string {
  if (text.length <= limit) {
    return text;
  }
  const cut = text.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
