import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_PAYLOAD_SIZE,
  MspDecoder,
  encodePacket,
  parsePacket,
  tryEncodePacket,
  utf8DecodeStrict,
  utf8Encode,
  type DecodeEvent,
} from '../../shared/msp/index.ts';
import { fromHex, hexOf, vectors } from '../helpers/vectors.ts';

function expandValid(v: Vectors['valid'][number]): { type: number; version: number; text: string; bytes: Uint8Array } {
  if ('payload' in v) return { type: v.type, version: v.version, text: v.payload, bytes: fromHex(v.bytes) };
  const text = v.payload_repeat.char.repeat(v.payload_repeat.count);
  const bytes = encodePacket({ version: v.version, type: v.type, payload: utf8Encode(text) });
  return { type: v.type, version: v.version, text, bytes };
}
type Vectors = typeof vectors;

const decodeAll = (bytes: Uint8Array): DecodeEvent[] => new MspDecoder().push(bytes);

describe('valid vectors from the original', () => {
  it('covers both versions and the largest payload', () => {
    const versions = new Set(vectors.valid.map((v) => v.version));
    expect(versions).toEqual(new Set([1, 2]));
    expect(vectors.valid.some((v) => 'payload_repeat' in v && v.payload_repeat.count === MAX_PAYLOAD_SIZE)).toBe(true);
  });

  for (const v of vectors.valid) {
    const { type, version, text, bytes } = expandValid(v);
    const label = `v${version} type 0x${type.toString(16)} "${text.slice(0, 20)}" (${text.length} chars)`;

    it(`encodes ${label} to the original bytes`, () => {
      const encoded = encodePacket({ version, type, payload: utf8Encode(text) });
      if ('bytes_sha256' in v) {
        expect(createHash('sha256').update(encoded).digest('hex')).toBe(v.bytes_sha256);
        expect(hexOf(encoded.subarray(0, 8))).toBe(v.bytes_head);
        expect(hexOf(encoded.subarray(encoded.length - 2))).toBe(v.bytes_tail);
      } else {
        expect(hexOf(encoded)).toBe(hexOf(bytes));
      }
    });

    it(`decodes ${label} to its fields, one-shot and streamed`, () => {
      const parsed = parsePacket(bytes, { requireUtf8: true });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.value.version).toBe(version);
      expect(parsed.value.type).toBe(type);
      expect(utf8DecodeStrict(parsed.value.payload)).toBe(text);

      const events = decodeAll(bytes);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event.kind).toBe('packet');
      if (event.kind !== 'packet') return;
      expect(event.offset).toBe(0);
      expect(hexOf(event.raw)).toBe(hexOf(bytes));
      // Mirror: what we decode re-encodes to the very same bytes.
      expect(hexOf(encodePacket(event.packet))).toBe(hexOf(bytes));
    });
  }
});

describe('invalid vectors from the original', () => {
  const expectedCode: Record<string, string> = {
    bad_sync: 'MSP_ERR_BAD_SYNC',
    too_short: 'MSP_ERR_TOO_SHORT',
    length_field_too_large: 'MSP_ERR_BAD_LENGTH',
    length_field_too_small: 'MSP_ERR_BAD_LENGTH',
    crc_mismatch: 'MSP_ERR_BAD_CRC',
    payload_bit_flip: 'MSP_ERR_BAD_CRC',
    invalid_utf8: 'MSP_ERR_INVALID_UTF8',
  };

  it('has a code for every vector', () => {
    expect(vectors.invalid.map((v) => v.name).sort()).toEqual(Object.keys(expectedCode).sort());
  });

  for (const v of vectors.invalid) {
    it(`${v.name}: a typed error, the original's verdict "${v.original_verdict}"`, () => {
      const result = parsePacket(fromHex(v.bytes), { requireUtf8: true });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(expectedCode[v.name]);
      if (!v.original_verdict.startsWith('exception')) expect(result.error.message).toContain(v.original_verdict);
    });

    it(`${v.name}: the stream decoder never throws and never invents a packet`, () => {
      const events = new MspDecoder().push(fromHex(v.bytes));
      const packets = events.filter((e) => e.kind === 'packet');
      if (v.name === 'invalid_utf8') {
        // A valid frame with a binary payload: kept as bytes, not lost.
        expect(packets).toHaveLength(1);
      } else {
        expect(packets).toHaveLength(0);
      }
    });
  }

  it('reports the CRC a corrupted frame should have had', () => {
    const [error] = new MspDecoder().push(fromHex('aa55000a011063726339')).filter((e) => e.kind === 'error');
    expect(error).toMatchObject({ code: 'MSP_ERR_BAD_CRC', expectedCrc: 0x38, offset: 0 });
  });

  it('keeps a non-UTF-8 payload as bytes in the default (workbench) mode', () => {
    const result = parsePacket(fromHex('aa5500090110fffefd'));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(hexOf(result.value.payload)).toBe('fffe');
      expect(utf8DecodeStrict(result.value.payload)).toBeUndefined();
    }
  });
});

describe('encoder limits', () => {
  it('refuses a payload one byte over the maximum with a typed error', () => {
    const result = tryEncodePacket({ version: 1, type: 0x10, payload: new Uint8Array(MAX_PAYLOAD_SIZE + 1) });
    expect(result).toMatchObject({ ok: false, error: { code: 'MSP_ERR_PAYLOAD_TOO_LARGE' } });
  });

  it('refuses a TYPE that is not a byte', () => {
    const result = tryEncodePacket({ version: 1, type: 256, payload: new Uint8Array() });
    expect(result).toMatchObject({ ok: false, error: { code: 'MSP_ERR_BAD_FIELD' } });
  });

  it('keeps a UTF-8 BOM in the payload as Python does', () => {
    expect(utf8DecodeStrict(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
  });
});
