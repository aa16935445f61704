/**
 * The MIME renderer for {@link DEVICE_MIME_TYPE}: the device card in notebook outputs.
 *
 * The magics display the card with a display id and update it as the sign-in progresses
 * (signed in, expired, denied); each update arrives through `renderModel` and only changes
 * the card's model, so the countdown and buttons stay where they are.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PanelLayout, Widget } from '@lumino/widgets';

import {
  DEVICE_MIME_TYPE,
  DeviceSignInModel,
  DeviceSignInView,
  readDeviceInfo
} from './devicecard';
import { KernelSignInWatch } from './kernelsignin';

/** A renderer holding one device card. */
export class DeviceRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('ipyawssso-DeviceRenderer');
    this.layout = new PanelLayout();
  }

  /** Show (or update) the card from the output's data. */
  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const info = readDeviceInfo(model.data[this._mimeType]);
    if (this._card) {
      this._card.model.update(info);
    } else {
      this._card = new DeviceSignInView(new DeviceSignInModel(info));
      (this.layout as PanelLayout).addWidget(this._card);
      // Ask the server whether the kernel still waits (a restart, a reload, a saved notebook).
      this._watch = new KernelSignInWatch(this._card.model);
    }
    return Promise.resolve();
  }

  dispose(): void {
    this._watch?.dispose();
    this._watch = null;
    super.dispose();
  }

  private _mimeType: string;
  private _card: DeviceSignInView | null = null;
  private _watch: KernelSignInWatch | null = null;
}

/** The renderer factory: safe, because the card sets text only and opens http(s) links. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [DEVICE_MIME_TYPE],
  // Below text/html (50): the magics send HTML too, for front ends without this renderer.
  defaultRank: 20,
  createRenderer: options => new DeviceRenderer(options)
};

/** The MIME extension registered through package.json's `jupyterlab.mimeExtension`. */
const extension: IRenderMime.IExtension = {
  id: 'ipyawssso:device-renderer',
  description:
    'Renders AWS SSO device sign-in cards (application/vnd.ipyawssso.device+json).',
  rendererFactory,
  rank: 20,
  dataType: 'json'
};

export default extension;
