/** A log entry as the log shows it: numbered, classified, its payload decoded once. */
import { HEADER_SIZE, PacketType, toHex, utf8DecodeStrict } from '../../../../shared/msp/index.ts';
import type { AppError } from '../../../../shared/result.ts';
import { LOG_ENTRY_OVERHEAD_BYTES } from '../../../../shared/limits.ts';
import type { LogEntry } from '../../../../shared/ipc/types.ts';
import { layoutFrame } from '../inspector/frameLayout.ts';

/** What the type filter groups by. */
export type Category = 'data' | 'ack' | 'encrypted' | 'other' | 'error' | 'raw';
export const CATEGORIES: readonly Category[] = ['data', 'ack', 'encrypted', 'other', 'error', 'raw'];

export type AckState =
  | { status: 'pending' }
  | { status: 'acked'; rttMs: number; ackSeq?: number }
  | { status: 'timeout' }
  | { status: 'lost'; reason: AppError };

export interface LogRecord {
  /** 1, 2, 3... in this window: the "#" column. */
  readonly seq: number;
  readonly entry: LogEntry;
  readonly category: Category;
  /** The TYPE byte, when the bytes reach it. */
  readonly type?: number;
  readonly crc: 'ok' | 'bad' | 'none';
  /** The CRC byte the frame carries, and the one its payload sums to. */
  readonly actualCrc?: number;
  readonly expectedCrc?: number;
  /** The payload (or decrypted plaintext) as text, when it is UTF-8. */
  readonly text?: string;
  /** Our DATA: pending, acked with its RTT, timed out, or lost with the link. */
  ack?: AckState;
  /** An ACK that answered our DATA: that DATA's seq. */
  ackFor?: number;
  /** Lower-case text and hex for the search box, made on first search. */
  searchText?: string;
}

/** How many bytes an entry stands for: a bad frame's or junk run's `raw` may be only its first bytes. */
export const spanOf = (entry: LogEntry): number => entry.length ?? entry.raw.length;

export function makeRecord(seq: number, entry: LogEntry): LogRecord {
  const { raw } = entry;
  if (entry.kind === 'suppressed') return { seq, entry, category: 'error', crc: 'none' };
  if (entry.kind === 'packet') {
    const type = raw[5];
    const payload = entry.plaintext ?? raw.subarray(HEADER_SIZE, raw.length - 1);
    return {
      seq,
      entry,
      category: categoryOfType(type),
      type,
      crc: 'ok',
      actualCrc: raw[raw.length - 1],
      text: utf8DecodeStrict(payload),
      ...(entry.awaitsAck ? { ack: { status: 'pending' } } : {}),
    };
  }
  if (entry.kind === 'junk') return { seq, entry, category: 'error', crc: 'none', text: utf8DecodeStrict(raw) };
  // A bad frame, or bytes we wrote raw: read them as a frame as far as they go.
  const layout = layoutFrame(raw);
  const payload = layout.payload ? raw.subarray(layout.payload.start, layout.payload.end) : undefined;
  const crc = layout.crc ? (layout.crc.ok ? 'ok' : 'bad') : entry.expectedCrc !== undefined ? 'bad' : 'none';
  return {
    seq,
    entry,
    category: entry.kind === 'raw' ? 'raw' : 'error',
    ...(layout.type !== undefined ? { type: layout.type } : {}),
    crc,
    ...(layout.crc ? { actualCrc: layout.crc.actual, expectedCrc: layout.crc.expected } : {}),
    ...(entry.expectedCrc !== undefined ? { expectedCrc: entry.expectedCrc } : {}),
    text: utf8DecodeStrict(payload ?? raw),
  };
}

function categoryOfType(type: number): Category {
  if (type === PacketType.DATA) return 'data';
  if (type === PacketType.ACK) return 'ack';
  if (type === PacketType.ENCRYPTED_DATA) return 'encrypted';
  return 'other';
}

export function searchTextOf(record: LogRecord): string {
  record.searchText ??= `${record.text ?? ''}\n${toHex(record.entry.raw, ' ')}`.toLowerCase();
  return record.searchText;
}

/**
 * What a record costs the log's memory, counted once when it is added: its raw bytes and
 * plaintext, its text (a JS string: 2 bytes a character), the search text made on the first
 * search (text and hex, 3 characters a byte), and the objects around them. The search text
 * is counted up front so that the bound holds whether or not anyone searches.
 */
export function recordBytes(record: LogRecord): number {
  const { raw, plaintext } = record.entry;
  const textLength = record.text?.length ?? 0;
  const searchLength = textLength + 1 + raw.length * 3;
  return LOG_ENTRY_OVERHEAD_BYTES + raw.length + (plaintext?.length ?? 0) + 2 * textLength + 2 * searchLength;
}
