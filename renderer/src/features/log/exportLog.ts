/** The log as a file: JSON for programs, CSV for spreadsheets. Both carry every byte as hex. */
import { packetLabelParts, toHex } from '../../../../shared/msp/index.ts';
import { spanOf, type LogRecord } from './logRecord.ts';

export interface ExportRow {
  seq: number;
  time: string;
  direction: 'in' | 'out';
  peer: string;
  kind: string;
  type: string | null;
  length: number;
  crc: 'ok' | 'bad' | 'none';
  expected_crc: string | null;
  ack: string | null;
  rtt_ms: number | null;
  error: string | null;
  text: string | null;
  hex: string;
  /** What protected the packet on the link: none, legacy-weak, v3, tls (null for junk). */
  lock: string | null;
  /** Why the secure layer refused the packet (e.g. plaintext at a password server). */
  refused: string | null;
  /** A SEALED_SERVICE's inner TYPE as its session opened it (FT_CHUNK...); `type` stays the wire's. */
  inner_type: string | null;
}

export function exportRow(record: LogRecord): ExportRow {
  const { entry, ack } = record;
  const name = record.type !== undefined ? packetLabelParts(record.type, entry.innerType) : undefined;
  return {
    seq: record.seq,
    time: new Date(entry.at).toISOString(),
    direction: entry.dir,
    peer: entry.peer,
    kind: entry.kind,
    type: name?.wire ?? null,
    length: entry.suppressed ? entry.suppressed.bytes : spanOf(entry),
    crc: record.crc,
    expected_crc: record.crc === 'bad' && record.expectedCrc !== undefined ? toHex(Uint8Array.of(record.expectedCrc)) : null,
    ack: ack ? ack.status : null,
    rtt_ms: ack?.status === 'acked' ? Number(ack.rttMs.toFixed(3)) : null,
    error: entry.error?.message ?? null,
    text: record.text ?? null,
    hex: toHex(entry.raw, ''),
    lock: entry.lock ?? null,
    refused: entry.rejected?.message ?? null,
    inner_type: name?.inner ?? null,
  };
}

export function toJson(records: readonly LogRecord[]): string {
  return JSON.stringify(records.map(exportRow), null, 2) + '\n';
}

const CSV_COLUMNS: Array<keyof ExportRow> = [
  'seq', 'time', 'direction', 'peer', 'kind', 'type', 'length', 'crc', 'expected_crc', 'ack', 'rtt_ms', 'error', 'text', 'hex', 'lock', 'refused', 'inner_type',
];

export function toCsv(records: readonly LogRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records) {
    const row = exportRow(record);
    lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * RFC 4180 quoting. A text cell that a spreadsheet would run as a formula (=, +, -, @)
 * is prefixed with an apostrophe: a received payload must never become a formula.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}
