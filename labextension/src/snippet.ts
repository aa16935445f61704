/**
 * `ipyawssso:insert-snippet`: a cell that makes the kernel use a profile, below the active one.
 */
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { sessionSnippet } from './format';

/**
 * Insert `%load_ext ipyawssso` / `%aws_sso use <profile>` as a new code cell.
 *
 * @returns false when no notebook is open.
 */
export function insertSnippet(
  tracker: INotebookTracker,
  profile: string
): boolean {
  const panel = tracker.currentWidget;
  if (!panel) {
    return false;
  }
  const notebook = panel.content;
  NotebookActions.insertBelow(notebook);
  const cell = notebook.activeCell;
  if (!cell) {
    return false;
  }
  if (cell.model.type !== 'code') {
    NotebookActions.changeCellType(notebook, 'code');
  }
  notebook.activeCell?.model.sharedModel.setSource(sessionSnippet(profile));
  return true;
}
