/** The renderer's only door to the main process: `window.msp`. */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('msp', {});
