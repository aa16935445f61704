/**
 * Error notifications that keep the whole message. JupyterLab cuts a notification at 140
 * characters, and the server's messages (what happened, then what to do next) often run
 * longer: a long one shows its first words and a Details button that opens all of it.
 */
import { Notification, showErrorMessage } from '@jupyterlab/apputils';

import { NOTIFICATION_LIMIT, shorten } from './format';

/** `title: message` as an error notification that stays until closed. */
export function notifyError(title: string, message: string): void {
  const text = `${title}: ${message}`;
  if (text.length <= NOTIFICATION_LIMIT) {
    Notification.error(text, { autoClose: false });
    return;
  }
  Notification.error(shorten(text), {
    autoClose: false,
    actions: [
      {
        label: 'Details',
        caption: 'Show the whole message',
        callback: () => void showErrorMessage(title, message)
      }
    ]
  });
}
