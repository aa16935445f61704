/**
 * The ipyawssso JupyterLab extension: wiring only.
 *
 * - `ipyawssso:plugin` builds the {@link StatusModel}, adds the status bar item, the commands
 *   and their palette entries, follows the settings (schema/plugin.json) and, through a
 *   {@link KernelProfileWatcher}, the `AWS_PROFILE` of the current notebook's or console's kernel.
 * - `ipyawssso:panel-keys` keeps plain keys typed in the panel's controls away from the
 *   notebook's shortcuts (see keyboard.ts).
 * - The device-card MIME renderer is a separate MIME extension (see mime.ts).
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { CommandIDs, PALETTE_CATEGORY } from './commands';
import { openConsole } from './console';
import { showWidgetFallbacks } from './fallback';
// eslint-disable-next-line jupyter/prefer-lazy-imports -- a re-run stops its old wait before the kernel runs it
import { stopWaitsOfRerunCell } from './kernelsignin';
import { runCellsOnRequest } from './rerun';
// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation follows the kernel's profile at once
import { KernelProfileWatcher } from './kernelprofile';
import { panelKeysPlugin } from './keyboard';
// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation builds the status model at once
import { DEFAULT_SETTINGS, IStatusSettings, StatusModel } from './model';
import { insertSnippet } from './snippet';
// eslint-disable-next-line jupyter/prefer-lazy-imports -- activation adds the status bar item at once
import { StatusItem } from './statusbar';

const PLUGIN_ID = 'ipyawssso:plugin';

/** The JSON schema of a command's arguments (what `describedBy` shows to other extensions). */
function describeArgs(properties: ReadonlyJSONObject): {
  args: ReadonlyJSONObject;
} {
  return { args: { type: 'object', properties } };
}

const PROFILE_ARG: ReadonlyJSONObject = {
  type: 'string',
  description:
    'The profile of ~/.aws/config; without it, the command asks or uses the one in use'
};

function flagArg(description: string): ReadonlyJSONObject {
  return { type: 'boolean', description };
}

function readSettings(
  settings: ISettingRegistry.ISettings
): Partial<IStatusSettings> {
  const get = <T>(key: keyof IStatusSettings, fallback: T): T =>
    (settings.get(key).composite as T | undefined) ?? fallback;
  return {
    refreshInterval: get('refreshInterval', DEFAULT_SETTINGS.refreshInterval),
    warningMinutes: get('warningMinutes', DEFAULT_SETTINGS.warningMinutes),
    profile: get('profile', DEFAULT_SETTINGS.profile)
  };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'AWS SSO status bar item and sign-in commands (ipyawssso).',
  autoStart: true,
  optional: [
    IStatusBar,
    ICommandPalette,
    ISettingRegistry,
    INotebookTracker,
    ILabShell
  ],
  activate: (
    app: JupyterFrontEnd,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    registry: ISettingRegistry | null,
    tracker: INotebookTracker | null,
    labShell: ILabShell | null
  ) => {
    const model = new StatusModel();
    const { commands } = app;

    // Re-running a login cell whose card still waits: the old wait stops at once (its card is
    // about to be cleared), so the new run shows a new code instead of queueing behind it.
    NotebookActions.executionScheduled.connect((_, { cell }) =>
      stopWaitsOfRerunCell(cell)
    );
    // A cell that ran %aws_sso (login, logout, use) may have changed a sign-in: look now.
    NotebookActions.executed.connect((_, { cell }) => {
      if (/aws_sso|ipyawssso/.test(cell.model.sharedModel.getSource())) {
        void model.refresh();
      }
    });

    // The status bar follows the AWS_PROFILE of the kernel the user works with. The lab
    // shell says when its current widget changes; other shells (Notebook 7) have one
    // notebook per page, which the notebook tracker reports.
    const currentChanged: ISignal<unknown, unknown>[] = [];
    if (labShell) {
      currentChanged.push(labShell.currentChanged);
    }
    if (tracker) {
      currentChanged.push(tracker.currentChanged);
    }
    const kernelProfile = new KernelProfileWatcher(
      () => app.shell.currentWidget ?? tracker?.currentWidget ?? null,
      currentChanged
    );
    // Poll only while a notebook is open and the page is visible; ask at once when that
    // becomes true again (see StatusModel.pollWhen).
    if (tracker) {
      // "Run the cell again" after signing in again under an expired sign-in (rerun.ts).
      runCellsOnRequest(tracker);
      // Our widgets whose kernel is gone say what they were (see fallback.ts).
      tracker.forEach(panel => showWidgetFallbacks(panel));
      tracker.widgetAdded.connect((_, panel) => showWidgetFallbacks(panel));
      model.pollWhen = () =>
        document.visibilityState !== 'hidden' && tracker.size > 0;
      tracker.widgetAdded.connect(() => model.wake());
    }
    document.addEventListener('visibilitychange', () => model.wake());
    model.kernelProfile = kernelProfile.profile;
    kernelProfile.changed.connect((_, profile) => {
      model.kernelProfile = profile;
    });

    // Each command takes the profile to act on (the palette passes none: then it asks, or
    // uses the profile in use) and, for some, flags.
    const profileArg = (args: ReadonlyPartialJSONObject) =>
      (args.profile as string) || undefined;
    commands.addCommand(CommandIDs.login, {
      label: 'AWS SSO: Sign in…',
      caption:
        'Sign in to AWS IAM Identity Center for a profile of ~/.aws/config',
      describedBy: describeArgs({
        profile: PROFILE_ARG,
        force: flagArg('Sign in again even when the sign-in is still valid')
      }),
      execute: async args => {
        // The dialogs load with the first sign-in or log-out, not with the page.
        const { signIn } = await import('./signin');
        return signIn(model, {
          profile: profileArg(args),
          force: !!args.force
        });
      }
    });
    commands.addCommand(CommandIDs.logout, {
      label: 'AWS SSO: Log out',
      caption: 'End an AWS SSO sign-in (like aws sso logout)',
      describedBy: describeArgs({
        profile: PROFILE_ARG,
        all: flagArg('Log out of every sign-in on this machine'),
        confirm: flagArg('Ask before logging out of the profile')
      }),
      execute: async args => {
        const { logOut } = await import('./signin');
        return logOut(model, {
          profile: profileArg(args),
          all: !!args.all,
          confirm: !!args.confirm
        });
      }
    });
    commands.addCommand(CommandIDs.console, {
      label: 'AWS SSO: Open the AWS console',
      caption:
        "Open the AWS console as the profile's role, without signing in again",
      describedBy: describeArgs({
        profile: PROFILE_ARG,
        service: {
          type: 'string',
          description:
            "The service whose console page opens (e.g. s3), else the console's home"
        }
      }),
      isEnabled: args => !!(profileArg(args) || model.inUse?.profile),
      execute: args => {
        const profile = profileArg(args) || model.inUse?.profile;
        return profile
          ? openConsole(profile, (args.service as string) || undefined)
          : undefined;
      }
    });
    commands.addCommand(CommandIDs.insertSnippet, {
      label: 'AWS SSO: Insert session snippet',
      caption:
        'Insert a cell with %load_ext ipyawssso / %aws_sso use <profile>',
      describedBy: describeArgs({ profile: PROFILE_ARG }),
      isEnabled: () => !!tracker?.currentWidget,
      execute: args => {
        const profile = profileArg(args) || model.inUse?.profile || 'default';
        return tracker ? insertSnippet(tracker, profile) : false;
      }
    });
    if (palette) {
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }

    if (statusBar) {
      const item = new StatusItem(model, commands);
      statusBar.registerStatusItem(PLUGIN_ID.replace(':plugin', ':status'), {
        item,
        align: 'left',
        rank: 50,
        isActive: () => model.hasProfiles,
        activeStateChanged: model.changed
      });
    }

    if (registry) {
      registry
        .load(PLUGIN_ID)
        .then(settings => {
          model.configure(readSettings(settings));
          settings.changed.connect(() =>
            model.configure(readSettings(settings))
          );
        })
        .catch(reason => {
          console.warn(
            'ipyawssso: settings could not be loaded, using defaults.',
            reason
          );
        })
        .finally(() => model.start());
    } else {
      model.start();
    }
  }
};

export default [plugin, panelKeysPlugin];
