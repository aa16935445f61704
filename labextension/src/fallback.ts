/**
 * Our widgets in a reopened notebook say what they were, not "Error displaying widget".
 *
 * The kernel that held a panel's or a picker's widget models is gone (a restart, a new
 * session), so JupyterLab's widget renderer shows "Error displaying widget: model not found"
 * in its place, although our widgets' outputs carry a `text/plain` fallback that says what
 * stood there and how to get it back (see ipyawssso/widgets/markup.py, `fallback_bundle`).
 * This shows that fallback instead, for our outputs only (their HTML fallback is marked).
 */
import { NotebookPanel } from '@jupyterlab/notebook';

/** What the widget renderer writes when the model is gone. */
const MISSING = 'Error displaying widget: model not found';
/** The class our widgets' HTML fallback carries. */
const FALLBACK_CLASS = 'ipyawssso-widget-fallback';

function fix(panel: NotebookPanel, output: Element): void {
  const cellNode = output.closest('.jp-Cell');
  const cell = panel.content.widgets.find(widget => widget.node === cellNode);
  const outputs = (cell?.model as any)?.outputs;
  if (!cellNode || !outputs) {
    return;
  }
  const children = Array.from(
    cellNode.querySelectorAll('.jp-OutputArea-child')
  );
  const index = children.findIndex(child => child.contains(output));
  if (index < 0 || index >= outputs.length) {
    return;
  }
  const data = outputs.get(index).data as Record<string, unknown>;
  const html = data['text/html'];
  const text = data['text/plain'];
  if (
    typeof html === 'string' &&
    html.includes(FALLBACK_CLASS) &&
    typeof text === 'string'
  ) {
    output.textContent = text;
    output.classList.add(FALLBACK_CLASS);
  }
}

/** Watch one notebook's outputs for our widgets whose model is gone. */
export function showWidgetFallbacks(panel: NotebookPanel): void {
  const observer = new MutationObserver(records => {
    for (const record of records) {
      const target =
        record.target instanceof Element
          ? record.target
          : record.target.parentElement;
      const output = target?.closest('.jp-OutputArea-output');
      if (output && output.textContent === MISSING) {
        fix(panel, output);
      }
    }
  });
  observer.observe(panel.content.node, {
    subtree: true,
    childList: true,
    characterData: true
  });
  panel.disposed.connect(() => observer.disconnect());
}
