/**
 * "Run the cell again" under a sign-in that ended: runs the cell it stands in.
 *
 * After an expired sign-in the kernel offers to sign in again in place (see
 * ipyawssso/widgets/sign_in_again.py); once signed in, this button re-runs the cell that
 * failed. A kernel cannot run a cell, the page can: a capturing click listener finds the
 * button's cell and runs it, and stops the click there, so the kernel's fallback text
 * ("press Shift+Enter", for front ends without this extension) never shows.
 */
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

/** The class of the button (RERUN_CLASS in sign_in_again.py). */
export const RERUN_SELECTOR = '.ipyawssso-rerun-cell';

/** Run the cell holding `button`; false when it is in no notebook of `tracker`. */
export function runCellOf(tracker: INotebookTracker, button: Element): boolean {
  const panel = tracker.find(candidate => candidate.node.contains(button));
  if (!panel) {
    return false;
  }
  const notebook = panel.content;
  const index = notebook.widgets.findIndex(cell => cell.node.contains(button));
  if (index < 0) {
    return false;
  }
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  void NotebookActions.run(notebook, panel.sessionContext);
  return true;
}

/** Listen for clicks on the button anywhere in the page; returns the remover. */
export function runCellsOnRequest(tracker: INotebookTracker): () => void {
  const onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest(RERUN_SELECTOR);
    if (button && runCellOf(tracker, button)) {
      event.stopPropagation();
      event.preventDefault();
    }
  };
  document.addEventListener('click', onClick, true);
  return () => document.removeEventListener('click', onClick, true);
}
