/** The file transfer wire layouts (docs/PROTOCOL.md, "File transfer"): round trips, refusals, and decoders that never throw. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHUNK_HEADER_SIZE,
  decodeAccept,
  decodeChunk,
  decodeDone,
  decodeOffer,
  decodeOffset,
  decodeReason,
  encodeAccept,
  encodeDone,
  encodeOffer,
  encodeOffset,
  encodeReason,
  writeChunkHeader,
} from '../../shared/msp/file-transfer.ts';
import { parseTransferFlags } from '../../electron/cli/transfer-args.ts';
import { parseSize } from '../../shared/size.ts';
import { progressLine } from '../../electron/cli/transfer-output.ts';

describe('file transfer wire layouts', () => {
  it('round-trips every message, sizes past 2^32 included', () => {
    const offer = { id: 7, size: 5 * 2 ** 32 + 3, mtimeMs: 1_700_000_000_000, sha256: new Uint8Array(32).fill(0xab), name: 'レポート.pdf' };
    expect(decodeOffer(encodeOffer(offer))).toEqual(offer);
    expect(decodeAccept(encodeAccept(1, 2 ** 40, 4 << 20))).toEqual({ id: 1, offset: 2 ** 40, window: 4 << 20 });
    expect(decodeOffset(encodeOffset(0xffffffff, 12345))).toEqual({ id: 0xffffffff, offset: 12345 });
    expect(decodeReason(encodeReason(3, 4))).toEqual({ id: 3, reason: 4 });
    expect(decodeDone(encodeDone(9, 0, 'a (1).txt'))).toEqual({ id: 9, result: 0, savedAs: 'a (1).txt' });
    const chunk = new Uint8Array(CHUNK_HEADER_SIZE + 3);
    chunk.set([1, 2, 3], CHUNK_HEADER_SIZE);
    writeChunkHeader(chunk, 5, 2 ** 35, 0xdeadbeef);
    expect(decodeChunk(chunk)).toEqual({ id: 5, offset: 2 ** 35, crc32: 0xdeadbeef, data: Uint8Array.of(1, 2, 3) });
  });

  it('refuses malformed payloads: wrong sizes, offsets past 2^53, names empty, too long or not UTF-8', () => {
    expect(decodeAccept(new Uint8Array(15))).toBeUndefined();
    expect(decodeOffset(Uint8Array.of(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0))).toBeUndefined();
    const offer = encodeOffer({ id: 1, size: 1, mtimeMs: 0, sha256: new Uint8Array(32), name: 'x' });
    expect(decodeOffer(offer.subarray(0, offer.length - 1))).toBeUndefined(); // no name
    const badUtf8 = Uint8Array.from([...offer.subarray(0, offer.length - 1), 0xff]);
    expect(decodeOffer(badUtf8)).toBeUndefined();
    expect(decodeOffer(new Uint8Array(52 + 256))).toBeUndefined();
    expect(decodeChunk(new Uint8Array(15))).toBeUndefined();
  });

  it('no payload makes a decoder throw', () => {
    const decoders = [decodeOffer, decodeAccept, decodeOffset, decodeReason, decodeChunk, decodeDone];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        for (const decode of decoders) decode(bytes);
      }),
      { numRuns: 500 },
    );
  });
});

describe('file transfer flags and progress', () => {
  it('parses sizes and refuses flags in the wrong mode', () => {
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseSize('12x')).toBeUndefined();
    expect(parseTransferFlags({ 'send-file': ['a'] }, 'server')).toMatchObject({ ok: false });
    expect(parseTransferFlags({ 'receive-dir': 'in' }, 'client')).toMatchObject({ ok: false });
    expect(parseTransferFlags({ overwrite: true }, 'server')).toMatchObject({ ok: false, error: /go with --receive-dir/ });
    expect(parseTransferFlags({ 'receive-dir': 'in', 'max-file-size': '1K' }, 'server')).toMatchObject({ ok: true, value: { receiveDir: 'in', maxFileSize: 1024 } });
  });

  it('a progress line says bytes, percent, rate and ETA', () => {
    expect(progressLine('big.iso', 512 * 1024 ** 2, 2 * 1024 ** 3, 10 * 1024 ** 2)).toBe('big.iso  512.0 MiB / 2.0 GiB  25%  10.0 MiB/s  ETA 2 min 34 s');
  });
});
