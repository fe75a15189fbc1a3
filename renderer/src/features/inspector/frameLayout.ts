/**
 * Where each field of an MSP frame lies in a run of bytes, and what is wrong with it:
 * the hex dump colours bytes by field, the field table decodes them, and the send box's
 * raw preview warns before a broken frame is sent.
 */
import { HEADER_SIZE, MIN_PACKET_SIZE, SYNC_0, SYNC_1, checksum, readU16BE } from '../../../../shared/msp/index.ts';

export type FieldName = 'sync' | 'length' | 'version' | 'type' | 'payload' | 'crc' | 'extra' | 'junk';

export interface FrameField {
  name: FieldName;
  /** Byte offsets, end exclusive. */
  start: number;
  end: number;
}

export type FrameProblem =
  | { kind: 'not-a-frame' }
  | { kind: 'short-header'; have: number }
  | { kind: 'length-too-small'; declared: number }
  | { kind: 'truncated'; declared: number; have: number }
  | { kind: 'trailing-bytes'; declared: number; have: number }
  | { kind: 'bad-crc'; actual: number; expected: number };

export interface FrameLayout {
  fields: FrameField[];
  declaredLength?: number;
  version?: number;
  type?: number;
  payload?: { start: number; end: number };
  crc?: { actual: number; expected: number; ok: boolean };
  problems: FrameProblem[];
}

export function layoutFrame(raw: Uint8Array): FrameLayout {
  const n = raw.length;
  if (n < 2 || raw[0] !== SYNC_0 || raw[1] !== SYNC_1) {
    return { fields: n > 0 ? [{ name: 'junk', start: 0, end: n }] : [], problems: [{ kind: 'not-a-frame' }] };
  }
  const fields: FrameField[] = [{ name: 'sync', start: 0, end: 2 }];
  const layout: FrameLayout = { fields, problems: [] };
  if (n < HEADER_SIZE) layout.problems.push({ kind: 'short-header', have: n });
  if (n >= 4) {
    fields.push({ name: 'length', start: 2, end: 4 });
    layout.declaredLength = readU16BE(raw, 2);
  }
  if (n >= 5) {
    fields.push({ name: 'version', start: 4, end: 5 });
    layout.version = raw[4];
  }
  if (n >= 6) {
    fields.push({ name: 'type', start: 5, end: 6 });
    layout.type = raw[5];
  }
  const declared = layout.declaredLength;
  if (declared === undefined || n <= HEADER_SIZE) return finish(layout, n);

  if (declared < MIN_PACKET_SIZE) {
    layout.problems.push({ kind: 'length-too-small', declared });
    fields.push({ name: 'extra', start: HEADER_SIZE, end: n });
    return layout;
  }
  if (n < declared) {
    layout.problems.push({ kind: 'truncated', declared, have: n });
    layout.payload = { start: HEADER_SIZE, end: n };
    fields.push({ name: 'payload', start: HEADER_SIZE, end: n });
    return layout;
  }
  const crcAt = declared - 1;
  if (crcAt > HEADER_SIZE) fields.push({ name: 'payload', start: HEADER_SIZE, end: crcAt });
  layout.payload = { start: HEADER_SIZE, end: crcAt };
  fields.push({ name: 'crc', start: crcAt, end: declared });
  const expected = checksum(raw, HEADER_SIZE, crcAt);
  layout.crc = { actual: raw[crcAt], expected, ok: raw[crcAt] === expected };
  if (!layout.crc.ok) layout.problems.push({ kind: 'bad-crc', actual: raw[crcAt], expected });
  if (n > declared) {
    layout.problems.push({ kind: 'trailing-bytes', declared, have: n });
    fields.push({ name: 'extra', start: declared, end: n });
  }
  return layout;
}

function finish(layout: FrameLayout, n: number): FrameLayout {
  if (n > HEADER_SIZE) layout.fields.push({ name: 'extra', start: HEADER_SIZE, end: n });
  return layout;
}

/** For each byte, the index of its field in `layout.fields`. */
export function fieldIndexByByte(layout: FrameLayout, length: number): Int16Array {
  const out = new Int16Array(length).fill(-1);
  layout.fields.forEach((field, index) => out.fill(index, field.start, Math.min(field.end, length)));
  return out;
}
