/** A stand-in for `window.msp`: records requests, answers them, and lets a test play main's events. */
import type { IpcTransport, MspApi } from '../../shared/ipc/api.ts';
import { createMspApi } from '../../shared/ipc/api.ts';
import type { EventName, EventPayloads, RequestName } from '../../shared/ipc/contract.ts';
import { ok, type Result } from '../../shared/result.ts';
import { DEFAULT_SETTINGS } from '../../shared/ipc/schemas.ts';
import type { AppSnapshot } from '../../shared/ipc/types.ts';
import { EMPTY_LIBRARY } from '../../shared/automation/packets.ts';

export interface FakeMain {
  api: MspApi;
  requests: Array<{ channel: RequestName; arg: unknown }>;
  /** What a request answers; by default ok with a plausible value. */
  answer(channel: RequestName, result: Result<unknown>): void;
  emit<K extends EventName>(channel: K, payload: EventPayloads[K]): void;
}

export const SNAPSHOT: AppSnapshot = {
  info: { platform: 'linux', version: 'test' },
  settings: DEFAULT_SETTINGS,
  status: { state: 'idle' },
  clients: [],
  autoAck: true,
  sendProgress: { running: false, sent: 0, total: 0 },
  secrets: { available: true, remembered: { client: false, server: false } },
};

export function fakeMain(snapshot: AppSnapshot = SNAPSHOT): FakeMain {
  const requests: FakeMain['requests'] = [];
  const answers = new Map<RequestName, Result<unknown>>([
    ['app.init', ok(snapshot)],
    // The store loads the saved packets at start-up (their shortcuts work before the panel opens).
    ['packets.load', ok({ library: EMPTY_LIBRARY })],
  ]);
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const transport: IpcTransport = {
    async invoke(channel, arg) {
      requests.push({ channel, arg });
      return (answers.get(channel) ?? ok(null)) as never;
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  return {
    api: createMspApi(transport),
    requests,
    answer: (channel, result) => answers.set(channel, result),
    emit: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload as never);
    },
  };
}
