/** The store's shape: one store, made of slices. */
import type { StateCreator } from 'zustand';
import type { CaptureSlice } from './captureSlice.ts';
import type { LinkSlice } from './linkSlice.ts';
import type { LogSlice } from './logSlice.ts';
import type { ModemSlice } from './modemSlice.ts';
import type { PacketsSlice } from './packetsSlice.ts';
import type { RatesSlice } from './ratesSlice.ts';
import type { RemoteSlice } from './remoteSlice.ts';
import type { SecuritySlice } from './securitySlice.ts';
import type { SendSlice } from './sendSlice.ts';
import type { SerialSlice } from './serialSlice.ts';
import type { ServerSlice } from './serverSlice.ts';
import type { ToolSlice } from './toolSlice.ts';
import type { TransferSlice } from './transferSlice.ts';
import type { UiSlice } from './uiSlice.ts';
import type { AutomationSlice } from './automationSlice.ts';

export type AppState = LinkSlice & LogSlice & SendSlice & ServerSlice & RatesSlice & UiSlice & SerialSlice & SecuritySlice & ToolSlice & PacketsSlice & AutomationSlice & CaptureSlice & TransferSlice & RemoteSlice & ModemSlice;

export type Slice<T> = StateCreator<AppState, [], [], T>;
