/**
 * The renderer's only door to the main process: `window.msp`. Each method has its own
 * channel (shared/ipc/api.ts); subscribers get the payload only, never the IPC event,
 * and an unsubscribe function back.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createMspApi } from '../../shared/ipc/api.ts';

contextBridge.exposeInMainWorld(
  'msp',
  createMspApi({
    invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
    subscribe: (channel, listener) => {
      const strip = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
      ipcRenderer.on(channel, strip);
      return () => {
        ipcRenderer.removeListener(channel, strip);
      };
    },
  }),
);
