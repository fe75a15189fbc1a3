import { describe, expect, it } from 'vitest';
import { fieldIndexByByte, layoutFrame } from '../../../renderer/src/features/inspector/frameLayout.ts';
import { fieldRows, problemText } from '../../../renderer/src/features/inspector/fieldRows.ts';
import { translate } from '../../../renderer/src/i18n/translate.ts';
import { fromHexText } from '../../helpers/entries.ts';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);
const HELLO = fromHexText('AA55 0010 01 10 48656C6C6F204D5350 04');
const names = (raw: Uint8Array) => layoutFrame(raw).fields.map((f) => `${f.name}:${f.start}-${f.end}`);

describe('hex dump fields', () => {
  it('a good packet: SYNC, LENGTH, VERSION, TYPE, PAYLOAD, CRC, each byte in one field', () => {
    expect(names(HELLO)).toEqual(['sync:0-2', 'length:2-4', 'version:4-5', 'type:5-6', 'payload:6-15', 'crc:15-16']);
    const layout = layoutFrame(HELLO);
    expect(layout).toMatchObject({ declaredLength: 16, version: 1, type: 0x10, crc: { actual: 4, expected: 4, ok: true }, problems: [] });
    expect([...fieldIndexByByte(layout, HELLO.length)]).toEqual([0, 0, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5]);
  });

  it('the field table decodes each field in words', () => {
    const rows = fieldRows(HELLO, layoutFrame(HELLO), t);
    expect(rows.map((r) => [r.label, r.offset, r.bytes, r.value])).toEqual([
      ['SYNC', '0–1', 'AA 55', 'Start of frame'],
      ['LENGTH', '2–3', '00 10', '16 bytes, whole packet'],
      ['VERSION', '4', '01', '1 (msp.py)'],
      ['TYPE', '5', '10', 'DATA'],
      ['PAYLOAD', '6–14', '48 65 6C 6C …', '"Hello MSP"'],
      ['CRC', '15', '04', 'Correct'],
    ]);
  });

  it('a wrong CRC: flagged, with the CRC it should have had', () => {
    const bad = Uint8Array.from(HELLO);
    bad[15] = 0x00;
    const layout = layoutFrame(bad);
    expect(layout.crc).toEqual({ actual: 0, expected: 4, ok: false });
    expect(problemText(layout.problems[0], t)).toBe('The CRC is 00 but the payload sums to 04: a receiver rejects this frame.');
    expect(fieldRows(bad, layout, t).at(-1)).toMatchObject({ label: 'CRC', value: 'Wrong: should be 04', bad: true });
  });

  it('fewer bytes than LENGTH says: truncated payload, no CRC yet', () => {
    const layout = layoutFrame(HELLO.subarray(0, 10));
    expect(names(HELLO.subarray(0, 10))).toEqual(['sync:0-2', 'length:2-4', 'version:4-5', 'type:5-6', 'payload:6-10']);
    expect(layout.problems).toEqual([{ kind: 'truncated', declared: 16, have: 10 }]);
  });

  it('more bytes than LENGTH says: the rest is marked as extra', () => {
    const raw = fromHexText('AA55 0008 01 10 41 41 FF FF');
    expect(names(raw)).toEqual(['sync:0-2', 'length:2-4', 'version:4-5', 'type:5-6', 'payload:6-7', 'crc:7-8', 'extra:8-10']);
    expect(layoutFrame(raw).problems).toEqual([{ kind: 'trailing-bytes', declared: 8, have: 10 }]);
  });

  it('an empty payload, a LENGTH below 7, and bytes that are not a frame at all', () => {
    expect(names(fromHexText('AA55 0007 01 11 00'))).toEqual(['sync:0-2', 'length:2-4', 'version:4-5', 'type:5-6', 'crc:6-7']);
    expect(layoutFrame(fromHexText('AA55 0003 01 10 00')).problems).toEqual([{ kind: 'length-too-small', declared: 3 }]);
    expect(layoutFrame(fromHexText('AA55 00')).problems).toEqual([{ kind: 'short-header', have: 3 }]);
    const junk = fromHexText('68656C6C6F');
    expect(names(junk)).toEqual(['junk:0-5']);
    expect(problemText(layoutFrame(junk).problems[0], t)).toBe('Not an MSP frame: it does not start with AA 55.');
  });
});
