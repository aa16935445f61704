/**
 * Device cards drawn by kernels, kept honest: the card asks the server whether its kernel still
 * waits on the sign-in, and a new run of a login cell stops the wait its old card stood for.
 *
 * A kernel that runs `%aws_sso login` under this server registers its wait (the card's payload
 * then carries `signIn`, see ipyawssso/kernel_signins.py). A card whose kernel restarted or
 * died would otherwise go on counting down "Waiting for you to approve" (after a page reload,
 * too); JupyterLab re-running the cell clears the card while the kernel goes on waiting on a
 * code nobody can see. Both are fixed here, with the server as the go-between.
 */
import { api, ApiError, IKernelSignIn } from './api';
import {
  CardState,
  DEVICE_MIME_TYPE,
  DeviceSignInModel,
  IDeviceInfo,
  readDeviceInfo
} from './devicecard';

/** How often a pending card asks the server about its kernel (ms). */
export const WATCH_MS = 2000;

/** The card state an answer of the server stands for (null: leave the card as it is). */
function cardState(answer: IKernelSignIn): CardState | null {
  switch (answer.state) {
    case 'waiting':
      return null;
    case 'replaced':
      return 'cancelled';
    case 'ended':
    case 'unknown':
      return 'ended';
    default:
      return answer.state;
  }
}

/**
 * Follows one card's sign-in while the card shows it pending: gives the card a Cancel that
 * reaches the kernel, and turns the card to `ended` (or to the outcome it missed) when the
 * kernel no longer waits.
 */
export class KernelSignInWatch {
  constructor(readonly model: DeviceSignInModel) {
    model.changed.connect(this._check, this);
    this._check();
  }

  /** Stop asking (the card is gone). */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._timer);
    this.model.changed.disconnect(this._check, this);
  }

  private _pending(info: IDeviceInfo): boolean {
    return (
      !!info.signIn && (info.state === 'pending' || info.state === 'starting')
    );
  }

  /** Start asking when the card (re)enters a pending state with an id. */
  private _check(): void {
    const info = this.model.info;
    if (this._pending(info) && !this._asking) {
      this._asking = true;
      void this._ask(info.signIn!);
    }
  }

  private async _ask(id: string): Promise<void> {
    let answer: IKernelSignIn | null = null;
    try {
      answer = await api.kernelSignIn(id);
    } catch (error) {
      if (
        error instanceof ApiError &&
        (error.status === 404 || error.status === 400)
      ) {
        this._asking = false; // this server does not follow kernel sign-ins: nothing to do
        return;
      }
    }
    this._asking = false;
    const info = this.model.info;
    if (this._disposed || info.signIn !== id || !this._pending(info)) {
      return;
    }
    if (answer) {
      const state = cardState(answer);
      if (state === null) {
        if (!this.model.cancel) {
          this.model.cancel = () => void this._stop(id);
        }
      } else {
        this.model.cancel = null;
        const message =
          answer.state === 'unknown'
            ? 'This sign-in is no longer running; run the cell again.'
            : answer.state === 'replaced'
              ? 'A new run of this cell replaced it.'
              : null;
        this.model.update({ ...info, state, userCode: null, message });
        return;
      }
    }
    this._timer = window.setTimeout(() => this._check(), WATCH_MS);
  }

  private async _stop(id: string): Promise<void> {
    try {
      await api.stopKernelSignIn(id, 'cancel');
    } catch (error) {
      console.warn('ipyawssso: could not cancel the sign-in', error);
    }
    // The kernel replaces the card with its outcome; ask soon in case that update is lost.
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this._check(), 500);
  }

  private _asking = false;
  private _disposed = false;
  private _timer = 0;
}

/** What this module reads of a notebook cell (a `Cell` of @jupyterlab/cells). */
export interface ICellLike {
  model: {
    type: string;
    outputs?: {
      length: number;
      get(index: number): { data: Record<string, unknown> };
    };
  };
}

/**
 * Ids of the kernel sign-ins a cell's outputs show, whatever their state (a card reads
 * "Signed in." while its kernel still waits for the role picker).
 */
export function signInsOfCell(cell: ICellLike): string[] {
  const outputs = cell.model.outputs;
  if (cell.model.type !== 'code' || !outputs) {
    return [];
  }
  const ids: string[] = [];
  for (let index = 0; index < outputs.length; index++) {
    const data = outputs.get(index).data[DEVICE_MIME_TYPE];
    if (data) {
      const id = readDeviceInfo(data).signIn;
      if (id) {
        ids.push(id);
      }
    }
  }
  return ids;
}

/**
 * A cell is about to run again: stop the waits its current cards stand for, so the kernel
 * runs the new request at once instead of after a wait nobody can see any more (JupyterLab
 * clears the outputs right after this). Called from `NotebookActions.executionScheduled`.
 */
export function stopWaitsOfRerunCell(cell: ICellLike): void {
  for (const id of signInsOfCell(cell)) {
    api.stopKernelSignIn(id, 'rerun').catch(error => {
      if (!(error instanceof ApiError && error.status === 404)) {
        console.warn(
          'ipyawssso: could not stop the previous sign-in of this cell',
          error
        );
      }
    });
  }
}
