/** The app's store instance and the hook components read it with. */
import { useStore } from 'zustand';
import type { MspApi } from '../../../shared/ipc/api.ts';
import { createAppStore } from './createAppStore.ts';
import type { AppState } from './types.ts';

declare global {
  interface Window {
    /** Exposed by the preload (or the test host's bridge): the renderer's only door to main. */
    msp: MspApi;
  }
}

export const appStore = createAppStore(window.msp, { scheduleFrame: (callback) => requestAnimationFrame(() => callback()) });

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
