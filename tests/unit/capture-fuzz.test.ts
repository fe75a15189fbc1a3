/**
 * The capture reader against 1,000 damaged files: bytes flipped, runs overwritten, the file cut
 * short or spliced. Each must give rows or a CaptureError, never throw, and stay fast.
 */
import { describe, expect, it } from 'vitest';
import { CaptureBuilder } from '../../shared/capture/capture-builder.ts';
import { parseEndpoint } from '../../shared/capture/endpoint.ts';
import { importCapture } from '../../shared/capture/import-capture.ts';
import { LinkType } from '../../shared/capture/link-types.ts';
import { SyntheticTcp } from '../../shared/capture/synthetic-tcp.ts';
import { encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { pcapFile, relink } from '../helpers/pcap-build.ts';

/** A small seeded generator (mulberry32): the same damaged files every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const data = (text: string) => encodePacket({ version: 1, type: 0x10, payload: utf8Encode(text) });
const ack = encodePacket({ version: 1, type: 0x11, payload: utf8Encode('OK') });

function seeds(): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const builder = new CaptureBuilder((b) => blocks.push(b));
  const link = builder.tcp(parseEndpoint('127.0.0.1:50000')!, parseEndpoint('127.0.0.1:9009')!, true, 1e15);
  for (let i = 0; i < 5; i++) {
    link.bytes('out', data(`message ${i}`), 1e15 + i);
    link.bytes('in', ack, 1e15 + i);
  }
  const port = builder.serial('/dev/ttyS0');
  port.bytes('out', data('serial'), 1e15);
  const tcp = new SyntheticTcp(parseEndpoint('[::1]:50001')!, parseEndpoint('[::1]:9009')!);
  const frames = [...tcp.handshake().map((h) => h.frame), ...tcp.data('client', data('v6')), ...tcp.data('server', ack)];
  return [
    Buffer.concat(blocks),
    pcapFile(LinkType.LINUX_SLL2, frames.map((f, i) => ({ timestampUs: 1e15 + i, data: relink(f, LinkType.LINUX_SLL2) }))),
    pcapFile(LinkType.NULL, frames.map((f, i) => ({ timestampUs: 1e15 + i, data: relink(f, LinkType.NULL) })), { bigEndian: true }),
  ];
}

function mutate(file: Uint8Array, next: () => number): Uint8Array {
  const out = Uint8Array.from(file);
  const at = () => Math.floor(next() * out.length);
  switch (Math.floor(next() * 5)) {
    case 0: // flip a few bytes
      for (let i = 0, n = 1 + Math.floor(next() * 8); i < n; i++) out[at()] ^= 1 + Math.floor(next() * 255);
      return out;
    case 1: // a run of 0xFF or 0x00 (lengths that say "huge" or "nothing")
      out.fill(next() < 0.5 ? 0xff : 0, at(), at() + 1 + Math.floor(next() * 8));
      return out;
    case 2: // cut short
      return out.subarray(0, at());
    case 3: // a header's length field overwritten with a random 32-bit value
      new DataView(out.buffer).setUint32(Math.min(at(), out.length - 4) & ~3, Math.floor(next() * 2 ** 32), next() < 0.5);
      return out;
    default: // a slice spliced in again elsewhere
      const from = at();
      const piece = out.slice(from, from + 1 + Math.floor(next() * 64));
      const into = at();
      return Uint8Array.from([...out.subarray(0, into), ...piece, ...out.subarray(into)]);
  }
}

describe('capture reader fuzz', () => {
  it('1,000 mutated captures: rows or a clear error, never a throw', () => {
    const next = random(0x5eed);
    const files = seeds();
    const codes = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      const file = mutate(files[i % files.length], next);
      let rows = 0;
      const result = importCapture(file, () => rows++);
      const key = result.ok ? 'ok' : result.error.code;
      codes.set(key, (codes.get(key) ?? 0) + 1);
      if (!result.ok) expect(result.error.message.length).toBeGreaterThan(20);
      expect(rows).toBeLessThan(10_000);
    }
    const ms = performance.now() - started;
    // Every kind of verdict is reached, so the mutations do hit the checks.
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect(codes.get('CAPTURE_ERR_TRUNCATED')).toBeGreaterThan(0);
    expect(codes.get('CAPTURE_ERR_CORRUPT')).toBeGreaterThan(0);
    console.log(`capture fuzz: 1,000 files in ${ms.toFixed(0)} ms`, Object.fromEntries(codes));
  });

  it('says plainly what is wrong with an empty file, a text file and a cut-off one', () => {
    const empty = importCapture(new Uint8Array(0), () => {});
    expect(empty.ok || empty.error.code).toBe('CAPTURE_ERR_NOT_A_CAPTURE');
    const text = importCapture(utf8Encode('hello, this is not a capture'), () => {});
    expect(text.ok || text.error.message).toMatch(/not a pcap or pcapng/);
    const whole = seeds()[0];
    const cut = importCapture(whole.subarray(0, whole.length - 10), () => {});
    expect(cut.ok || cut.error.message).toMatch(/cut short: a block of \d+ bytes at byte \d+/);
  });
});
