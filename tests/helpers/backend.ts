/** An AppBackend with its events recorded, for tests that drive it over real sockets. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppBackend, type AppBackendOptions } from '../../electron/main/app/backend.ts';
import type { EventMessage, EventName, EventPayloads } from '../../shared/ipc/contract.ts';
import type { LogEntry, TrafficEvent } from '../../shared/ipc/types.ts';

export interface RecordedBackend {
  backend: AppBackend;
  settingsFile: string;
  events: EventMessage[];
  /** Every payload of one event, in order. */
  payloads<K extends EventName>(name: K): EventPayloads[K][];
  /** Every traffic event, batches flattened. */
  traffic(): TrafficEvent[];
  entries(): LogEntry[];
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

export function recordedBackend(options: Partial<AppBackendOptions> = {}): RecordedBackend {
  const events: EventMessage[] = [];
  const settingsFile = options.settingsFile ?? join(mkdtempSync(join(tmpdir(), 'msp-settings-')), 'settings.json');
  const backend = new AppBackend({
    settingsFile,
    platform: 'linux',
    appVersion: 'test',
    emit: (message) => events.push(message),
    ...options,
  });
  const payloads = <K extends EventName>(name: K) =>
    events.filter((e) => e.name === name).map((e) => e.payload as EventPayloads[K]);
  const traffic = () => payloads('packet.traffic').flat();
  return {
    backend,
    settingsFile,
    events,
    payloads,
    traffic,
    entries: () => traffic().flatMap((t) => (t.kind === 'entry' ? [t.entry] : [])),
    async waitFor(predicate, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events.map((e) => e.name))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
