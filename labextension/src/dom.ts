/**
 * The elements the extension's widgets are built from. Text goes in through `textContent`
 * only (never HTML), so a profile name, a server message or a payload cannot inject markup.
 */

/** A `<tag class="cls">` holding `text`, made in `doc` (the widget's own document). */
export function element(
  doc: Document,
  tag: string,
  cls: string,
  text = ''
): HTMLElement {
  const node = doc.createElement(tag);
  node.className = cls;
  node.textContent = text;
  return node;
}

/**
 * A JupyterLab-styled button (`jp-Button jp-mod-styled` plus `cls`, e.g. `jp-mod-accept`)
 * that calls `onClick`; `title` is its tooltip.
 */
export function button(
  doc: Document,
  label: string,
  cls: string,
  onClick: () => void,
  title?: string
): HTMLElement {
  const node = element(doc, 'button', `jp-Button jp-mod-styled ${cls}`, label);
  if (title) {
    node.title = title;
  }
  node.addEventListener('click', onClick);
  return node;
}
