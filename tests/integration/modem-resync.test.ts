/**
 * Our XMODEM receiver after a block lost its first byte: it must not read the block's data as
 * the bytes between blocks. Before the fix it skipped "noise" looking for SOH/STX/EOT, so a 0x04
 * inside the headless block ended the file early (a truncated file reported as complete, and
 * a sender whose next blocks were never answered: "block N was refused 9 times").
 * A scripted sender over an in-memory Duplex makes the damage exact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { receiveFiles } from '../../electron/main/modem/transfer.ts';
import { ACK, CRC_REQUEST, EOT, NAK, encodeBlock } from '../../shared/modem/xmodem.ts';
import { duplexPair } from '../helpers/duplex.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-modem-resync-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The bytes the receiver sends us, one at a time, as they come. */
function replies(stream: Duplex): () => Promise<number> {
  const got: number[] = [];
  let wake: (() => void) | undefined;
  stream.on('data', (chunk: Buffer) => {
    got.push(...chunk);
    wake?.();
  });
  return async () => {
    while (got.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return got.shift()!;
  };
}

const blockData = (seq: number) => {
  const data = new Uint8Array(128).fill(0x30 + seq);
  data[5] = EOT; // what a stray EOT looks like when the data is read as the gap between blocks
  return data;
};

it('XMODEM receiver: a block missing its SOH is purged and asked for again, not read as an EOT', async () => {
  const [ours, sender] = duplexPair();
  const next = replies(sender);
  const received = receiveFiles(ours, 'xmodem', { dir, overwrite: false, maxFileSize: 1 << 20 }, { timeoutMs: 1000, maxRetries: 4 }, 'out.bin');

  expect(await next()).toBe(CRC_REQUEST);
  for (const seq of [1, 2]) {
    sender.write(encodeBlock(seq, blockData(seq), 128, 'crc'));
    expect(await next()).toBe(ACK);
  }
  // Block 3 with its SOH dropped on the line: seq, ~seq, data... (data[5] is 0x04).
  sender.write(encodeBlock(3, blockData(3), 128, 'crc').subarray(1));
  expect(await next()).toBe(NAK);
  sender.write(encodeBlock(3, blockData(3), 128, 'crc'));
  expect(await next()).toBe(ACK);
  sender.write(Uint8Array.of(EOT));
  expect(await next()).toBe(ACK);

  const result = await received;
  expect(result.ok, JSON.stringify(result)).toBe(true);
  const file = readFileSync(join(dir, 'out.bin'));
  expect(file.length).toBe(3 * 128);
  expect(Buffer.compare(file.subarray(256), Buffer.from(blockData(3)))).toBe(0);
});

it('XMODEM receiver: a duplicated byte after a good block does not cost the next block', async () => {
  const [ours, sender] = duplexPair();
  const next = replies(sender);
  const received = receiveFiles(ours, 'xmodem', { dir, overwrite: false, maxFileSize: 1 << 20 }, { timeoutMs: 1000, maxRetries: 4 }, 'out.bin');

  expect(await next()).toBe(CRC_REQUEST);
  const one = encodeBlock(1, blockData(1), 128, 'crc');
  // The last byte (CRC low) arrives twice.
  sender.write(Buffer.concat([one, one.subarray(one.length - 1)]));
  expect(await next()).toBe(ACK);
  sender.write(encodeBlock(2, blockData(2), 128, 'crc'));
  expect(await next()).toBe(ACK);
  sender.write(Uint8Array.of(EOT));
  expect(await next()).toBe(ACK);
  const result = await received;
  expect(result.ok, JSON.stringify(result)).toBe(true);
  expect(readFileSync(join(dir, 'out.bin')).length).toBe(2 * 128);
});
