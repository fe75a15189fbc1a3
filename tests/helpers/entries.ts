/** Log entries as main sends them, for renderer tests. */
import { encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import type { LogEntry, TrafficEvent } from '../../shared/ipc/types.ts';

let lastId = 1000;

export function packetEntry(dir: 'in' | 'out', type: number, text: string, extra: Partial<LogEntry> = {}): LogEntry {
  return {
    id: ++lastId,
    at: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    dir,
    peer: '127.0.0.1:50001',
    kind: 'packet',
    raw: encodePacket({ version: 1, type, payload: utf8Encode(text) }),
    ...extra,
  };
}

export const entry = (e: LogEntry): TrafficEvent => ({ kind: 'entry', entry: e });

export const fromHexText = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
