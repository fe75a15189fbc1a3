/**
 * X/Y/ZMODEM over the line simulator: bit errors, a cut that is restored (ZMODEM picks up
 * where the receiver is, with ZRPOS), a cut that ends both sides (a rerun resumes from the
 * .part), and lrzsz on a noisy simulated line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveFiles, sendFiles } from '../../electron/main/modem/transfer.ts';
import type { ModemEvent, ModemProtocol } from '../../shared/modem/protocols.ts';
import { duplexPair } from '../helpers/duplex.js';
import { LineSimulator, type LineOptions } from '../helpers/line-simulator.js';
import { startPtyLine, type PtyLine } from '../helpers/line-simulator-pty.js';
import { lrzszSkip, runLrzsz } from '../helpers/lrzsz.js';
import { closePort, openPtyPort } from '../helpers/pty-stream.js';
import { socatSkip } from '../helpers/socat.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let work: string;
const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-modem-line-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  rmSync(work, { recursive: true, force: true });
});

function makeFile(size: number, name = 'data.bin'): { path: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(work, name);
  writeFileSync(path, data);
  return { path, data };
}

/** Our sender and our receiver at the two ends of a simulated line. */
function simulatedLine(options: LineOptions) {
  const [sender, a] = duplexPair();
  const [b, receiver] = duplexPair();
  const line = new LineSimulator(a, b, options);
  cleanups.push(() => line.close());
  return { sender, receiver, line };
}

async function transfer(protocol: ModemProtocol, path: string, lineOptions: LineOptions, extra: { timeoutMs?: number; dir?: string } = {}) {
  const { sender, receiver, line } = simulatedLine(lineOptions);
  const dir = extra.dir ?? mkdtempSync(join(work, 'in-'));
  const events: ModemEvent[] = [];
  const timing = { timeoutMs: extra.timeoutMs ?? 1000, maxRetries: 8 };
  const [sent, received] = await Promise.all([
    sendFiles(sender, protocol, [path], timing),
    receiveFiles(receiver, protocol, { dir, overwrite: false, maxFileSize: 1 << 24 }, { ...timing, onEvent: (e) => events.push(e) }, 'data.bin'),
  ]);
  return { sent, received, dir, events, line };
}

describe('X/Y/ZMODEM over a simulated line', () => {
  it('ZMODEM completes through bit errors (BER 1e-5), resending only from the damaged subpackets', async () => {
    const { path, data } = makeFile(120 * 1024);
    const { sent, received, dir, events, line } = await transfer('zmodem', path, { baud: 1_000_000, latencyMs: 2, bitErrorRate: 1e-5, seed: 11 });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    expect(received.ok, JSON.stringify(received)).toBe(true);
    expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    expect(line.aToB.stats.flippedBits + line.bToA.stats.flippedBits).toBeGreaterThan(5);
    expect(events.some((e) => e.kind === 'retry')).toBe(true);
    // Recovery resends little: far less than sending the file twice.
    expect(line.aToB.stats.sent).toBeLessThan(data.length * 2);
  });

  it('ZMODEM picks up after a cut at 50% once the line is restored, without starting over', async () => {
    const { path, data } = makeFile(100 * 1024);
    const { sender, receiver, line } = simulatedLine({ baud: 1_000_000, cutAtByte: 50 * 1024 });
    line.on('cut', () => setTimeout(() => line.restore(), 1500));
    const dir = mkdtempSync(join(work, 'in-'));
    const timing = { timeoutMs: 1000, maxRetries: 8 };
    const [sent, received] = await Promise.all([
      sendFiles(sender, 'zmodem', [path], timing),
      receiveFiles(receiver, 'zmodem', { dir, overwrite: false, maxFileSize: 1 << 24 }, timing),
    ]);
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    expect(received.ok, JSON.stringify(received)).toBe(true);
    expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    expect(line.aToB.stats.lostToCut).toBeGreaterThan(0);
    expect(line.aToB.stats.sent).toBeLessThan(data.length * 1.5);
  });

  it('ZMODEM resumes from the .part when rerun after a cut that ended both sides', async () => {
    const { path, data } = makeFile(100 * 1024);
    const dir = mkdtempSync(join(work, 'in-'));
    const first = await transfer('zmodem', path, { baud: 1_000_000, cutAtByte: 60 * 1024 }, { timeoutMs: 300, dir });
    expect(first.sent.ok).toBe(false);
    expect(first.received.ok).toBe(false);
    expect(existsSync(join(dir, 'data.bin'))).toBe(false);
    const part = statSync(join(dir, 'data.bin.part')).size;
    expect(part).toBeGreaterThan(30 * 1024);

    const second = await transfer('zmodem', path, { baud: 1_000_000 }, { dir });
    expect(second.received.ok, JSON.stringify(second.received)).toBe(true);
    expect(second.events.find((e) => e.kind === 'file-start')).toMatchObject({ offset: part });
    expect(second.line.aToB.stats.sent).toBeLessThan(data.length - part + 4096);
    expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    expect(existsSync(join(dir, 'data.bin.part'))).toBe(false);
  });

  for (const protocol of ['xmodem-1k', 'ymodem', 'xmodem'] as const) {
    it(`${protocol} completes through bit errors, dropped and duplicated bytes`, async () => {
      const { path, data } = makeFile(32 * 1024);
      const { sent, received, dir } = await transfer(protocol, path, { baud: 1_000_000, bitErrorRate: 2e-5, dropRate: 2e-5, duplicateRate: 2e-5, seed: 5 });
      expect(sent.ok, JSON.stringify(sent)).toBe(true);
      expect(received.ok, JSON.stringify(received)).toBe(true);
      expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    });
  }

  describe.skipIf(socatSkip.skip || lrzszSkip.skip)(`with lrzsz on a noisy simulated line${socatSkip.reason}${lrzszSkip.reason}`, () => {
    let pty: PtyLine;
    beforeEach(async () => {
      pty = await startPtyLine({ baud: 460_800, latencyMs: 2, bitErrorRate: 2e-5, seed: 3 });
      cleanups.push(() => pty.close());
    });

    it('our ZMODEM sender to rz', async () => {
      const { path, data } = makeFile(64 * 1024);
      const dir = mkdtempSync(join(work, 'rz-'));
      const port = await openPtyPort(pty.a);
      cleanups.push(() => closePort(port));
      const peer = runLrzsz('rz', [], pty.b, dir);
      const sent = await sendFiles(port, 'zmodem', [path], { timeoutMs: 2000, maxRetries: 8 });
      expect(sent.ok, JSON.stringify(sent)).toBe(true);
      expect((await peer.done).code).toBe(0);
      expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    });

    it('sz to our ZMODEM receiver', async () => {
      const { data } = makeFile(64 * 1024);
      const dir = mkdtempSync(join(work, 'in-'));
      const port = await openPtyPort(pty.a);
      cleanups.push(() => closePort(port));
      const peer = runLrzsz('sz', ['data.bin'], pty.b, work);
      const received = await receiveFiles(port, 'zmodem', { dir, overwrite: false, maxFileSize: 1 << 24 }, { timeoutMs: 2000, maxRetries: 8 });
      expect(received.ok, JSON.stringify(received)).toBe(true);
      expect((await peer.done).code).toBe(0);
      expect(sha256(readFileSync(join(dir, 'data.bin')))).toBe(sha256(data));
    });
  });
});
