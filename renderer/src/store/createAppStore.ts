/** The one store, built from its slices around the `window.msp` API (a fake one in tests). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MspApi } from '../../../shared/ipc/api.ts';
import { createLinkSlice } from './linkSlice.ts';
import { createLogSlice } from './logSlice.ts';
import { createRatesSlice } from './ratesSlice.ts';
import { createSendSlice } from './sendSlice.ts';
import { createServerSlice } from './serverSlice.ts';
import type { AppState } from './types.ts';
import { createUiSlice } from './uiSlice.ts';

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: MspApi, options: { logCapacity?: number } = {}): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createLinkSlice(api)(...a),
    ...createLogSlice(options.logCapacity)(...a),
    ...createSendSlice(api)(...a),
    ...createServerSlice(api)(...a),
    ...createRatesSlice()(...a),
    ...createUiSlice(api)(...a),
  }));
}
