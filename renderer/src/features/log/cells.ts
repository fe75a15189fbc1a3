/** What a log row shows in its cells. */
import { HEADER_SIZE, hexByte, packetLabel, packetLabelParts, toHex, type PacketLabelParts } from '../../../../shared/msp/index.ts';
import type { Translate } from '../../i18n/translate.ts';
import { formatMs } from '../../ui/format.ts';
import { spanOf, type LogRecord } from './logRecord.ts';

/** Control characters made visible, so a payload never breaks the row. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '↵' : c === '\r' ? '␍' : c === '\t' ? '⇥' : '·'));
}

/** The TYPE cell: the packet's name (packetLabel: "SEALED_SERVICE › FT_CHUNK"), or what the bytes are. */
export function typeLabel(record: LogRecord, t: Translate): string {
  const { kind } = record.entry;
  if (kind === 'packet') return packetLabel(record.type ?? 0, record.entry.innerType);
  return t(`log.kind.${kind}`);
}

/** The same, in its parts, for a badge that keeps the inner TYPE visible when the cell is narrow. */
export function typeLabelParts(record: LogRecord, t: Translate): PacketLabelParts {
  const { kind } = record.entry;
  if (kind === 'packet') return packetLabelParts(record.type ?? 0, record.entry.innerType);
  return { wire: t(`log.kind.${kind}`) };
}

export function crcLabel(record: LogRecord, t: Translate): string {
  const actual = record.actualCrc !== undefined ? hexByte(record.actualCrc) : '';
  if (record.crc === 'ok') return `${actual} ${t('log.crc.ok')}`;
  if (record.crc === 'bad' && record.expectedCrc !== undefined) {
    return `${actual} ${t('log.crc.bad', { expected: hexByte(record.expectedCrc) })}`.trim();
  }
  return '—';
}

export function ackLabel(record: LogRecord, t: Translate): { text: string; tone: 'pending' | 'good' | 'bad' | 'muted' } | null {
  const { ack } = record;
  if (ack) {
    switch (ack.status) {
      case 'pending':
        return { text: t('log.ack.pending'), tone: 'pending' };
      case 'acked':
        return { text: `✓ ${formatMs(ack.rttMs)}`, tone: 'good' };
      case 'timeout':
        return { text: `✗ ${t('log.ack.timeout')}`, tone: 'bad' };
      case 'lost':
        return { text: `✗ ${t('log.ack.lost')}`, tone: 'bad' };
    }
  }
  if (record.ackFor !== undefined) return { text: `↩ ${t('log.ack.for', { seq: record.ackFor })}`, tone: 'muted' };
  return null;
}

export function payloadLabel(record: LogRecord, t: Translate): { text: string; mono: boolean } {
  const { entry } = record;
  if (record.text !== undefined && record.text !== '') return { text: printable(record.text.slice(0, 300)), mono: false };
  if (entry.suppressed) return { text: t('log.suppressed', { frames: entry.suppressed.frames, bytes: entry.suppressed.bytes }), mono: false };
  const bytes = entry.kind === 'packet' ? entry.raw.subarray(HEADER_SIZE, entry.raw.length - 1) : entry.raw;
  // A bad frame or junk run may carry only its first bytes: "…" says there were more.
  const more = spanOf(entry) > entry.raw.length;
  if (entry.kind === 'junk') return { text: `${t('log.junkBytes', { n: spanOf(entry) })}: ${toHex(entry.raw.subarray(0, 24))}${entry.raw.length > 24 || more ? ' …' : ''}`, mono: true };
  if (bytes.length === 0) return { text: '', mono: false };
  return { text: `${toHex(bytes.subarray(0, 32))}${bytes.length > 32 || more ? ' …' : ''}`, mono: true };
}
