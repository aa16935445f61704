/**
 * Keys typed into the panel's lists and text boxes are the panel's, not the notebook's.
 *
 * JupyterLab runs every keyboard shortcut from one keydown listener on the document, and the
 * notebook's command-mode shortcuts match any focused element of a notebook, outputs
 * included: ArrowDown in the role list would move the notebook's active cell instead of the
 * selection, "A" would insert a cell, Shift+Enter in the search box would run the cell again
 * (and replace the panel). Lumino's CommandRegistry ignores a keydown whose target, or an
 * ancestor met before a node matching the shortcut's selector, carries
 * `data-lm-suppress-shortcuts`. The notebook's selectors end in `:focus`, which the focused
 * control itself matches, so the attribute goes on the control, not on the panel around it.
 *
 * It is set per keydown, from a capturing listener on the window (which runs before
 * JupyterLab's, whether that one captures or bubbles): present for keys a control handles
 * itself (no Ctrl, Alt or Meta), absent for chords, so Ctrl+S still saves the notebook and
 * Ctrl+Shift+C still opens the palette while the role list has the focus.
 *
 * A list box has no Enter action of its own: Enter in the role list presses the picker's
 * "Use this role", so a role can be picked without leaving the list. Not at once, though:
 * ipywidgets sends a click right away but holds back a selection while the previous one is
 * unanswered, so Down, Down, Enter would reach the kernel as Down, Enter, Down. The kernel
 * names the row it will use in the button's tooltip (`Use <row label>`, see
 * widgets/picker.py), and the click waits until the button was updated after the list's
 * last change and names the row selected in the page.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

/** The attribute Lumino's CommandRegistry honours: no shortcut runs for a keydown there. */
export const SUPPRESS_SHORTCUTS = 'data-lm-suppress-shortcuts';

/** The roots of our ipywidgets views (the panel, or a picker shown alone); see widgets/. */
export const PANEL_SELECTOR =
  '.ipyawssso-panel, .ipyawssso-picker, .ipyawssso-rolelist';

/** Controls that use plain keys themselves: text boxes, lists, dropdowns, the role tree. */
const CONTROL_SELECTOR = 'input, select, textarea, [role="tree"]';

/** The picker, its role list, and the button Enter in that list presses. */
const PICKER_SELECTOR = '.ipyawssso-picker';
const ROLE_LIST_SELECTOR = '.ipyawssso-roles select';
const USE_ROLE_SELECTOR = 'button.ipyawssso-use-role';

/**
 * Whether a keydown is a chord meant for the application (Ctrl, Alt or Meta held).
 *
 * AltGr (reported as Ctrl+Alt on Windows) types characters such as `@`: not a chord. Lumino
 * replays held-back keystrokes as plain `Event`s without `getModifierState`.
 */
function isChord(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.altKey || event.metaKey)) {
    return false;
  }
  return !(
    typeof event.getModifierState === 'function' &&
    event.getModifierState('AltGraph')
  );
}

/** How long Enter in the role list waits for the kernel to confirm the selection. */
const CONFIRM_TIMEOUT_MS = 10_000;

/** When each role list last changed in the page, and when each "Use this role" was updated. */
const listChangedAt = new WeakMap<Element, number>();
const buttonUpdatedAt = new WeakMap<Element, number>();
const buttonUpdates = new MutationObserver(records => {
  const now = performance.now();
  for (const record of records) {
    buttonUpdatedAt.set(record.target as Element, now);
  }
});

/** The "Use this role" button of the picker holding `list`. */
function useButtonOf(list: Element): HTMLButtonElement | null {
  const picker = list.closest(PICKER_SELECTOR);
  return picker?.querySelector<HTMLButtonElement>(USE_ROLE_SELECTOR) ?? null;
}

/** Note a change of the selection in a role list (capturing `change` listener). */
function onChange(event: Event): void {
  const list = event.target;
  if (
    !(list instanceof HTMLSelectElement) ||
    !list.matches(ROLE_LIST_SELECTOR)
  ) {
    return;
  }
  listChangedAt.set(list, performance.now());
  const button = useButtonOf(list);
  if (button) {
    // The kernel answers a selection by updating the button (ipywidgets rewrites `title`).
    buttonUpdates.observe(button, {
      attributes: true,
      attributeFilter: ['title']
    });
  }
}

/** Press "Use this role" for the row selected in `list`, once the kernel has it too. */
function useSelectedRole(list: HTMLSelectElement, event: KeyboardEvent): void {
  const button = useButtonOf(list);
  if (!button) {
    return;
  }
  event.preventDefault();
  const wanted = list.value;
  const deadline = performance.now() + CONFIRM_TIMEOUT_MS;
  const attempt = (): void => {
    if (!list.isConnected || list.value !== wanted) {
      return; // the picker is gone, or the person moved on: this Enter is void
    }
    const changed = listChangedAt.get(list);
    const answered =
      changed === undefined ||
      (buttonUpdatedAt.get(button) ?? -Infinity) > changed;
    if (answered && button.title === `Use ${wanted}`) {
      if (!button.disabled) {
        button.click();
      }
    } else if (performance.now() < deadline) {
      window.setTimeout(attempt, 20);
    }
  };
  attempt();
}

/** The capturing keydown handler; see the module's documentation. */
function onKeydown(event: KeyboardEvent): void {
  const target = event.target;
  if (
    !(target instanceof Element) ||
    !target.matches(CONTROL_SELECTOR) ||
    !target.closest(PANEL_SELECTOR)
  ) {
    return;
  }
  const own = !isChord(event);
  target.toggleAttribute(SUPPRESS_SHORTCUTS, own);
  if (
    own &&
    event.key === 'Enter' &&
    !event.shiftKey &&
    target instanceof HTMLSelectElement &&
    target.matches(ROLE_LIST_SELECTOR)
  ) {
    useSelectedRole(target, event);
  }
}

/**
 * Keep plain keys in our widgets' controls away from JupyterLab's shortcuts.
 *
 * @param target - Where to listen (the window by default).
 * @returns A function that removes the listener.
 */
export function keepKeysInPanel(target: Window = window): () => void {
  target.addEventListener('keydown', onKeydown, true);
  target.addEventListener('change', onChange, true);
  return () => {
    target.removeEventListener('keydown', onKeydown, true);
    target.removeEventListener('change', onChange, true);
  };
}

/** The plugin `ipyawssso:panel-keys`: needs nothing, so it runs in JupyterLab and Notebook 7. */
export const panelKeysPlugin: JupyterFrontEndPlugin<void> = {
  id: 'ipyawssso:panel-keys',
  description:
    'Keys typed in the ipyawssso panel act on the panel, not on notebook shortcuts.',
  autoStart: true,
  activate: () => {
    keepKeysInPanel();
  }
};
