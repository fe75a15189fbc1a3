/** X/Y/ZMODEM wire layouts (shared/modem): checksums, blocks, block 0, ZMODEM headers, escaping, the reader. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../shared/checksums/crc32.ts';
import { checksum8, crc16 } from '../../shared/modem/crc.ts';
import { SOH, STX, checkBlock, decodeBatchHeader, encodeBatchHeader, encodeBlock } from '../../shared/modem/xmodem.ts';
import {
  Escaper,
  MAX_SUBPACKET,
  ZCRCE,
  ZCRCG,
  ZCRCQ,
  ZCRCW,
  ZFrame,
  ZmodemReader,
  encodeBinHeader,
  encodeHexHeader,
  encodeSubpacket,
  flagsHeader,
  headerPosition,
  positionHeader,
  type ZmodemEvent,
} from '../../shared/modem/zmodem.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

function read(bytes: Uint8Array): ZmodemEvent[] {
  const events: ZmodemEvent[] = [];
  new ZmodemReader((e) => events.push(e)).feed(bytes);
  return events;
}

describe('checksums', () => {
  it('match the published check values', () => {
    expect(crc16(ascii('123456789'))).toBe(0x31c3); // CRC-16/XMODEM
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926); // CRC-32 (IEEE)
    expect(checksum8(Uint8Array.from([0xff, 0x02]))).toBe(0x01);
  });
});

describe('XMODEM blocks and YMODEM block 0', () => {
  it('encodes 128- and 1024-byte blocks that check, padded with SUB', () => {
    const data = ascii('hello');
    const block = encodeBlock(1, data, 128, 'crc');
    expect(block.length).toBe(133);
    expect([block[0], block[1], block[2]]).toEqual([SOH, 1, 0xfe]);
    expect(block[3 + 5]).toBe(0x1a);
    expect(checkBlock(block, 'crc')).toMatchObject({ ok: true, seq: 1 });
    const big = encodeBlock(0x1ff, new Uint8Array(1024).fill(7), 1024, 'checksum');
    expect([big[0], big[1], big.length]).toEqual([STX, 0xff, 1028]);
    expect(checkBlock(big, 'checksum')).toMatchObject({ ok: true, seq: 0xff });
  });

  it('finds a flipped bit or a garbled number', () => {
    const block = encodeBlock(3, ascii('data'), 128, 'crc');
    block[10]! ^= 0x10;
    expect(checkBlock(block, 'crc')).toEqual({ ok: false, reason: 'check' });
    const numbered = encodeBlock(3, ascii('data'), 128, 'crc');
    numbered[2] = 0;
    expect(checkBlock(numbered, 'crc')).toEqual({ ok: false, reason: 'number' });
  });

  it('carries name, size and mtime in block 0; an empty one ends the batch; junk numbers are left out', () => {
    const { data, size } = encodeBatchHeader({ name: 'report.txt', size: 12345, mtime: 0o17 });
    expect(size).toBe(128);
    expect(decodeBatchHeader(data)).toEqual({ name: 'report.txt', size: 12345, mtime: 0o17 });
    expect(encodeBatchHeader({ name: 'n'.repeat(300), size: 1 }).size).toBe(1024);
    expect(decodeBatchHeader(encodeBatchHeader(undefined).data).name).toBe('');
    expect(decodeBatchHeader(ascii('x\u0000-5 99999999999999999999 junk\u0000'))).toEqual({ name: 'x' });
  });
});

describe('ZMODEM frames', () => {
  it('writes hex headers as lrzsz does (ZRQINIT, and rz\'s own ZRINIT)', () => {
    expect(new TextDecoder('latin1').decode(encodeHexHeader(ZFrame.ZRQINIT, [0, 0, 0, 0]))).toBe('**\x18B00000000000000\r\x8a\x11');
    // rz (lrzsz 0.12.21) announces itself with this exact header.
    expect(new TextDecoder('latin1').decode(encodeHexHeader(ZFrame.ZRINIT, flagsHeader(0x23)))).toBe('**\x18B0100000023be50\r\x8a\x11');
    // No XON after ZACK and ZFIN.
    expect(encodeHexHeader(ZFrame.ZFIN, [0, 0, 0, 0]).at(-1)).toBe(0x8a);
  });

  it('keeps positions least significant byte first and flags in ZF0 last', () => {
    expect(positionHeader(0x12345678)).toEqual([0x78, 0x56, 0x34, 0x12]);
    expect(headerPosition([0x78, 0x56, 0x34, 0x12])).toBe(0x12345678);
    expect(headerPosition([0xff, 0xff, 0xff, 0xff])).toBe(0xffffffff);
    expect(flagsHeader(0x23)).toEqual([0, 0, 0, 0x23]);
  });

  it('escapes ZDLE, XON/XOFF, DLE (and all controls with ESCCTL), and CR after @', () => {
    const out = new Uint8Array(64);
    const plain = new Escaper(false);
    const n = plain.escapeInto(Uint8Array.from([0x18, 0x11, 0x93, 0x10, 0x41, 0x0d, 0x40, 0x0d, 0x01]), 0, 9, out, 0);
    expect([...out.subarray(0, n)]).toEqual([0x18, 0x58, 0x18, 0x51, 0x18, 0xd3, 0x18, 0x50, 0x41, 0x0d, 0x40, 0x18, 0x4d, 0x01]);
    const all = new Escaper(true);
    const m = all.escapeInto(Uint8Array.from([0x01, 0x9f, 0x20]), 0, 3, out, 0);
    expect([...out.subarray(0, m)]).toEqual([0x18, 0x41, 0x18, 0xdf, 0x20]);
  });

  it('reads back any header and subpacket it writes, in every encoding (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1100 }),
        fc.constantFrom(ZCRCE, ZCRCG, ZCRCQ, ZCRCW),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        (data, end, crc32, escapeControl, position) => {
          const escaper = new Escaper(escapeControl);
          const header = encodeBinHeader(ZFrame.ZDATA, positionHeader(position >>> 0), crc32, escaper);
          const events = read(Uint8Array.from([...header, ...encodeSubpacket(data, end, crc32, escaper)]));
          expect(events).toEqual([
            { kind: 'header', type: ZFrame.ZDATA, p: positionHeader(position >>> 0), encoding: crc32 ? 'bin32' : 'bin16' },
            { kind: 'data', data, end },
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports a flipped bit in a header or subpacket as an error, never as data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (data, at, bit) => {
        const escaper = new Escaper(false);
        const frame = Uint8Array.from([...encodeBinHeader(ZFrame.ZDATA, positionHeader(0), true, escaper), ...encodeSubpacket(data, ZCRCE, true, escaper)]);
        frame[3 + (at % (frame.length - 3))]! ^= 1 << bit;
        const events = read(frame);
        const delivered = events.filter((e) => e.kind === 'data');
        for (const e of delivered) expect(e).toEqual({ kind: 'data', data, end: ZCRCE });
      }),
      { numRuns: 300 },
    );
  });

  it('survives any bytes (bounded, no throw) and cancels on five CANs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (junk) => {
        expect(() => read(junk)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    expect(read(Uint8Array.from([0x18, 0x18, 0x18, 0x18, 0x18]))).toEqual([{ kind: 'cancel' }]);
    // A subpacket longer than the protocol allows is an error, not a growing buffer.
    const escaper = new Escaper(false);
    const header = encodeBinHeader(ZFrame.ZDATA, positionHeader(0), true, escaper);
    const events = read(Uint8Array.from([...header, ...new Uint8Array(MAX_SUBPACKET + 10).fill(0x41)]));
    expect(events.at(-1)).toEqual({ kind: 'error', what: 'data' });
  });
});
