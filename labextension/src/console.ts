/**
 * Opening the AWS console as a profile's role.
 *
 * The sign-in link is a bearer credential, so it is fetched only when asked for and opened at
 * once; it is never stored, shown or logged. The window opens first, synchronously inside the
 * click (popup blockers allow only that), then goes to the link the server extension made.
 */
import { api } from './api';
import { notifyError } from './notify';

/** Opens a blank window now; sends it to the console link, or closes it on failure. */
export function openConsole(profile: string, service?: string): Promise<void> {
  const tab = window.open('', '_blank');
  return api
    .consoleLink(profile, service)
    .then(({ url }) => {
      if (!tab) {
        throw new Error(
          'the browser blocked the new window; allow pop-ups for JupyterLab'
        );
      }
      tab.opener = null;
      tab.location.replace(url);
    })
    .catch((error: unknown) => {
      tab?.close();
      const message = error instanceof Error ? error.message : String(error);
      notifyError(`AWS console for ${profile}`, message);
    });
}
