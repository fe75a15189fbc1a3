/** The one store, built from its slices around the `window.msp` API (a fake one in tests). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MspApi } from '../../../shared/ipc/api.ts';
import { createCaptureSlice } from './captureSlice.ts';
import { createLinkSlice } from './linkSlice.ts';
import { createModemSlice } from './modemSlice.ts';
import { createLogSlice, type FrameScheduler } from './logSlice.ts';
import { createPacketsSlice } from './packetsSlice.ts';
import { createRatesSlice } from './ratesSlice.ts';
import { createRemoteSlice } from './remoteSlice.ts';
import { createSecuritySlice } from './securitySlice.ts';
import { createSendSlice } from './sendSlice.ts';
import { createSerialSlice } from './serialSlice.ts';
import { createServerSlice } from './serverSlice.ts';
import type { AppState } from './types.ts';
import { createToolSlice } from './toolSlice.ts';
import { createTransferSlice } from './transferSlice.ts';
import { createUiSlice } from './uiSlice.ts';
import { createAutomationSlice } from './automationSlice.ts';

export type AppStore = StoreApi<AppState>;

export interface StoreOptions {
  /** The log's bounds (entries, bytes): shared/limits.ts's by default. */
  logCapacity?: number;
  logMaxBytes?: number;
  /** When the log redraws after new traffic: the app passes requestAnimationFrame; by default, at once. */
  scheduleFrame?: FrameScheduler;
}

export function createAppStore(api: MspApi, options: StoreOptions = {}): AppStore {
  const scheduleFrame = options.scheduleFrame ?? ((callback: () => void) => callback());
  return createStore<AppState>()((...a) => ({
    ...createLinkSlice(api)(...a),
    ...createLogSlice({ maxEntries: options.logCapacity, maxBytes: options.logMaxBytes }, scheduleFrame)(...a),
    ...createSendSlice(api)(...a),
    ...createServerSlice(api)(...a),
    ...createRatesSlice()(...a),
    ...createUiSlice(api)(...a),
    ...createSerialSlice(api)(...a),
    ...createSecuritySlice(api)(...a),
    ...createToolSlice()(...a),
    ...createPacketsSlice(api)(...a),
    ...createAutomationSlice(api)(...a),
    ...createCaptureSlice(api)(...a),
    ...createTransferSlice(api)(...a),
    ...createRemoteSlice(api)(...a),
    ...createModemSlice(api)(...a),
  }));
}
