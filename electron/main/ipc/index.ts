/**
 * The one place IPC channels are registered. Every request is checked twice before it
 * reaches the backend: the sending frame must be our renderer, and the argument must
 * pass its schema (router.ts).
 */
import { clipboard, ipcMain, shell } from 'electron';
import { REQUEST_NAMES } from '../../../shared/ipc/contract.ts';
import { appError, fail, ok } from '../../../shared/result.ts';
import { isAllowedExternalUrl } from '../security/policy.ts';
import type { PlatformServices } from './handlers.ts';
import type { RequestRouter } from './router.ts';

export function registerIpc(route: RequestRouter, isTrustedSender: (frameUrl: string | undefined) => boolean): () => void {
  for (const channel of REQUEST_NAMES) {
    ipcMain.handle(channel, async (event, arg: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return fail(appError('IPC_ERR_UNTRUSTED_SENDER', 'This request did not come from the MSP Workbench window, so it was refused.'));
      }
      return route(channel, arg);
    });
  }
  return () => {
    for (const channel of REQUEST_NAMES) ipcMain.removeHandler(channel);
  };
}

/** The clipboard and the system browser, for the renderer that may use neither directly. */
export const electronServices: PlatformServices = {
  async copyText(text) {
    clipboard.writeText(text);
    return ok(null);
  },
  async openExternal(url) {
    if (!isAllowedExternalUrl(url)) return fail(appError('APP_ERR_URL_NOT_ALLOWED', `The app does not open ${url}.`));
    await shell.openExternal(url);
    return ok(null);
  },
};
