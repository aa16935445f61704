/**
 * The `AWS_PROFILE` of the kernel behind the current notebook or console.
 *
 * The server cannot see a kernel's environment, so the page asks the kernel itself, with a
 * silent `execute_request` whose `user_expressions` read `os.environ` (how variable inspectors
 * do it): no output, no history entry, no execution count. It asks again when the current
 * widget or its kernel changes, after each execution on that kernel finishes (from any client)
 * and after a restart, and signals `changed` with the profile, or null when there is no Python
 * kernel, the expression failed or `AWS_PROFILE` is empty. It holds no DOM.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

/** The user expression's name in the request and the reply. */
const EXPRESSION_NAME = 'aws_profile';

/**
 * The profile botocore would use in the kernel: `AWS_DEFAULT_PROFILE` (botocore reads it
 * first), else `AWS_PROFILE` (the server applies the same rule to its own environment).
 */
export const PROFILE_EXPRESSION =
  "(__import__('os').environ.get('AWS_DEFAULT_PROFILE') or " +
  "__import__('os').environ.get('AWS_PROFILE') or '')";

/** Wait after an execution finishes before asking, so a run of cells costs one question. */
const DEBOUNCE_MS = 300;

/**
 * How long to wait for the kernel's answer. A cell started just after the question delays it;
 * past this the watcher keeps what it showed and asks again when the kernel is next idle.
 */
const ANSWER_TIMEOUT_MS = 10_000;

/** Kernel states after which the environment is a new process's: ask again once idle. */
const FRESH_STATES: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'starting',
  'restarting',
  'autorestarting',
  'dead',
  'unknown'
]);

/**
 * The Python string a `text/plain` repr stands for, or null if it is not a plain one.
 *
 * Profile names are short and printable; a repr with escapes is not worth unquoting.
 */
export function parseReprString(repr: string): string | null {
  const match = /^(['"])(.*)\1$/s.exec(repr.trim());
  if (!match || match[2].includes('\\')) {
    return null;
  }
  return match[2];
}

/**
 * Ask a kernel for its profile: the profile, '' when none is set, or null when the kernel is
 * not Python or could not answer.
 *
 * @param kernel - an idle (or soon idle) kernel; the request queues behind running cells.
 * @param onSent - called with the request's message id, so its own busy/idle can be ignored.
 */
export async function askKernelProfile(
  kernel: Kernel.IKernelConnection,
  onSent: (msgId: string) => void = () => undefined
): Promise<string | null> {
  const info = await kernel.info;
  if (info.language_info?.name?.toLowerCase() !== 'python') {
    return null;
  }
  const future = kernel.requestExecute(
    {
      code: '',
      silent: true,
      store_history: false,
      allow_stdin: false,
      stop_on_error: false,
      user_expressions: { [EXPRESSION_NAME]: PROFILE_EXPRESSION }
    },
    true
  );
  onSent(future.msg.header.msg_id);
  const reply = await future.done;
  const content = reply.content;
  if (content.status !== 'ok') {
    return null;
  }
  const result = content.user_expressions?.[EXPRESSION_NAME] as
    { status?: string; data?: Record<string, unknown> } | undefined;
  const text =
    result?.status === 'ok' ? result.data?.['text/plain'] : undefined;
  return typeof text === 'string' ? parseReprString(text) : null;
}

/** A widget with a kernel session: a notebook panel, a console panel... */
function sessionContextOf(widget: Widget | null): ISessionContext | null {
  const context = (widget as { sessionContext?: ISessionContext } | null)
    ?.sessionContext;
  return context && typeof context.kernelChanged?.connect === 'function'
    ? context
    : null;
}

/** Follows the current widget's kernel and what its `AWS_PROFILE` is. */
export class KernelProfileWatcher {
  /**
   * @param currentWidget - the widget the user works in now (the shell's current widget).
   * @param currentChanged - signals that fire when {@link currentWidget} may have changed.
   */
  constructor(
    private readonly _currentWidget: () => Widget | null,
    currentChanged: ISignal<unknown, unknown>[]
  ) {
    for (const signal of currentChanged) {
      signal.connect(this._onCurrentChanged, this);
      this._sources.push(signal);
    }
    this._onCurrentChanged();
  }

  /** The current kernel's profile; null when there is none to follow (see the module doc). */
  get profile(): string | null {
    return this._profile;
  }

  /** Emitted with {@link profile} when it changes. */
  get changed(): ISignal<this, string | null> {
    return this._changed;
  }

  dispose(): void {
    for (const signal of this._sources) {
      signal.disconnect(this._onCurrentChanged, this);
    }
    this._follow(null);
    window.clearTimeout(this._timer);
    Signal.clearData(this);
  }

  private _onCurrentChanged(): void {
    const context = sessionContextOf(this._currentWidget());
    if (context === this._context) {
      return;
    }
    this._follow(context);
    // Show what this kernel said last time at once; the question below confirms it.
    this._set(context ? (this._known.get(context) ?? null) : null);
    this._ask(0);
  }

  private _follow(context: ISessionContext | null): void {
    const previous = this._context;
    if (previous) {
      previous.kernelChanged.disconnect(this._onKernelChanged, this);
      previous.statusChanged.disconnect(this._onStatus, this);
      previous.iopubMessage.disconnect(this._onIOPub, this);
    }
    this._context = context;
    this._waitIdle = false;
    if (context) {
      context.kernelChanged.connect(this._onKernelChanged, this);
      context.statusChanged.connect(this._onStatus, this);
      context.iopubMessage.connect(this._onIOPub, this);
    }
  }

  private _onKernelChanged(): void {
    if (this._context) {
      this._known.delete(this._context);
    }
    this._set(null);
    this._ask(0);
  }

  private _onStatus(_: ISessionContext, status: Kernel.Status): void {
    if (FRESH_STATES.has(status)) {
      this._waitIdle = true;
    } else if (status === 'idle' && this._waitIdle) {
      this._ask(0);
    }
  }

  /** An execution (ours excepted) finished: the cell may have changed the environment. */
  private _onIOPub(_: ISessionContext, msg: KernelMessage.IMessage): void {
    if (
      msg.channel === 'iopub' &&
      KernelMessage.isStatusMsg(msg as KernelMessage.IIOPubMessage) &&
      (msg as KernelMessage.IStatusMsg).content.execution_state === 'idle' &&
      msg.parent_header &&
      (msg.parent_header as KernelMessage.IHeader).msg_type ===
        'execute_request' &&
      !this._own.has((msg.parent_header as KernelMessage.IHeader).msg_id)
    ) {
      this._ask(DEBOUNCE_MS);
    }
  }

  private _ask(delay: number): void {
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this._askNow(), delay);
  }

  private async _askNow(): Promise<void> {
    const context = this._context;
    const kernel = context?.session?.kernel ?? null;
    const generation = ++this._generation;
    if (!context || !kernel) {
      this._set(null);
      return;
    }
    if (kernel.status !== 'idle') {
      // Busy, starting or restarting: ask when it is idle again.
      this._waitIdle = true;
      return;
    }
    this._waitIdle = false;
    let profile: string | null | undefined;
    let sent = '';
    let timer = 0;
    const timeout = new Promise<undefined>(resolve => {
      timer = window.setTimeout(() => resolve(undefined), ANSWER_TIMEOUT_MS);
    });
    try {
      profile = await Promise.race([
        askKernelProfile(kernel, msgId => {
          sent = msgId;
          this._own.add(msgId);
        }),
        timeout
      ]);
    } catch {
      // The kernel went away or refused the request: nothing to follow.
      profile = null;
    } finally {
      window.clearTimeout(timer);
      // Its idle status arrives before the reply resolves; forget the id afterwards.
      window.setTimeout(() => this._own.delete(sent), 5000);
    }
    if (generation !== this._generation || context !== this._context) {
      return; // a newer question (or another widget) took over
    }
    if (profile === undefined) {
      this._waitIdle = true; // no answer in time: keep what is shown, ask when idle
      return;
    }
    const value = profile || null;
    this._known.set(context, value);
    this._set(value);
  }

  private _set(profile: string | null): void {
    if (profile !== this._profile) {
      this._profile = profile;
      this._changed.emit(profile);
    }
  }

  private _context: ISessionContext | null = null;
  private _profile: string | null = null;
  private _known = new WeakMap<ISessionContext, string | null>();
  private _own = new Set<string>();
  private _waitIdle = false;
  private _generation = 0;
  private _timer = 0;
  private _sources: ISignal<unknown, unknown>[] = [];
  private _changed = new Signal<this, string | null>(this);
}
