/**
 * X/Y/ZMODEM interop with Debian's lrzsz, both ways, over socat ptys: our sender and
 * receiver (as the app and the CLI run them, through serialport) against sz/rz, sb/rb and
 * sx/rx, for each protocol and block check; the files must arrive byte for byte (SHA-256).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveFiles, sendFiles } from '../../electron/main/modem/transfer.ts';
import type { ModemProtocol } from '../../shared/modem/protocols.ts';
import { lrzszSkip, runLrzsz, type LrzszRun } from '../helpers/lrzsz.js';
import { closePort, openPtyPort } from '../helpers/pty-stream.js';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let src: string;
let dst: string;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-modem-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await stopAllPtyPairs();
  rmSync(work, { recursive: true, force: true });
});

/** A file of random bytes (XMODEM pads to its block size, so those sizes are whole blocks). */
function makeFile(dir: string, name: string, size: number): Buffer {
  const data = randomBytes(size);
  // Control bytes ZMODEM must escape, at the start where a bug would show at once.
  Buffer.from([0x18, 0x10, 0x11, 0x13, 0x90, 0x91, 0x93, 0x40, 0x0d, 0x7f, 0xff, 0x2a]).copy(data, 0);
  writeFileSync(join(dir, name), data);
  return data;
}

async function line() {
  const pair = await startPtyPair();
  const port = await openPtyPort(pair.a);
  cleanups.push(() => closePort(port));
  return { port, peerPath: pair.b };
}

async function peerDone(peer: LrzszRun) {
  const { code, stderr } = await peer.done;
  expect(code, `lrzsz said: ${stderr.slice(-400)}`).toBe(0);
}

const options = { timeoutMs: 3000, maxRetries: 5 };

describe.skipIf(socatSkip.skip || lrzszSkip.skip)(`X/Y/ZMODEM with lrzsz${socatSkip.reason}${lrzszSkip.reason}`, () => {
  beforeEach(() => {
    src = mkdtempSync(join(work, 'src-'));
    dst = mkdtempSync(join(work, 'dst-'));
  });

  const sends: [ModemProtocol, 'rz' | 'rb' | 'rx', string[], string][] = [
    ['zmodem', 'rz', [], 'ZMODEM (CRC-32) to rz'],
    ['ymodem', 'rb', [], 'YMODEM to rb'],
    ['xmodem', 'rx', ['out.bin'], 'XMODEM with checksums to rx'],
    ['xmodem', 'rx', ['-c', 'out.bin'], 'XMODEM-CRC to rx -c'],
    ['xmodem-1k', 'rx', ['-c', 'out.bin'], 'XMODEM-1K to rx -c'],
  ];
  // rb and rx flush their input after each answer, so on a loaded machine the first data block
  // sent too soon after an ACK can be lost once per transfer (README, "lrzsz's flush after each
  // answer"): our sender waits out its 3 s timeout, then paces its blocks. 60 s covers that.
  for (const [protocol, program, args, title] of sends) {
    it(`sends ${title}`, async () => {
      const data = makeFile(src, 'sent file.bin', 48 * 1024);
      const { port, peerPath } = await line();
      const peer = runLrzsz(program, args, peerPath, dst);
      const result = await sendFiles(port, protocol, [join(src, 'sent file.bin')], options);
      expect(result).toEqual({ ok: true, value: undefined });
      await peerDone(peer);
      const name = protocol.startsWith('xmodem') ? 'out.bin' : 'sent file.bin';
      expect(sha256(readFileSync(join(dst, name)))).toBe(sha256(data));
    }, 60_000);
  }

  const receives: [ModemProtocol, 'sz' | 'sb' | 'sx', string[], string][] = [
    ['zmodem', 'sz', [], 'ZMODEM from sz'],
    ['ymodem', 'sb', [], 'YMODEM from sb'],
    ['xmodem', 'sx', [], 'XMODEM-CRC from sx'],
    ['xmodem-1k', 'sx', ['-k'], 'XMODEM-1K from sx -k'],
  ];
  for (const [protocol, program, args, title] of receives) {
    it(`receives ${title}`, async () => {
      const data = makeFile(src, 'f.bin', 40 * 1024);
      const { port, peerPath } = await line();
      const peer = runLrzsz(program, [...args, 'f.bin'], peerPath, src);
      const result = await receiveFiles(port, protocol, { dir: dst, overwrite: false, maxFileSize: 1 << 20 }, options, 'f.bin');
      expect(result.ok, JSON.stringify(result)).toBe(true);
      await peerDone(peer);
      expect(readdirSync(dst)).toEqual(['f.bin']);
      expect(sha256(readFileSync(join(dst, 'f.bin')))).toBe(sha256(data));
    });
  }

  // rb pauses about a second around each file of a batch (7 s for these three on an idle machine),
  // and a loaded machine makes that several times longer: each protocol gets its own time.
  for (const [protocol, program] of [['zmodem', 'rz'], ['ymodem', 'rb']] as const) {
    it(`sends a batch of three files with ${protocol === 'zmodem' ? 'ZMODEM' : 'YMODEM'} to ${program} (names and exact sizes kept)`, async () => {
      const files = [makeFile(src, 'a.bin', 20_000), makeFile(src, 'b.txt', 1), makeFile(src, 'c.bin', 33_333)];
      const out = mkdtempSync(join(work, `${protocol}-`));
      const { port, peerPath } = await line();
      const peer = runLrzsz(program, [], peerPath, out);
      const result = await sendFiles(port, protocol, ['a.bin', 'b.txt', 'c.bin'].map((n) => join(src, n)), options);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      await peerDone(peer);
      ['a.bin', 'b.txt', 'c.bin'].forEach((name, i) => expect(sha256(readFileSync(join(out, name)))).toBe(sha256(files[i]!)));
    }, 60_000);
  }

  it('receives a batch of two files from sz and from sb, exact sizes', async () => {
    const files = [makeFile(src, 'one.bin', 12_345), makeFile(src, 'two.bin', 54_321)];
    for (const [protocol, program] of [['zmodem', 'sz'], ['ymodem', 'sb']] as const) {
      const out = mkdtempSync(join(work, `${protocol}-`));
      const { port, peerPath } = await line();
      const peer = runLrzsz(program, ['one.bin', 'two.bin'], peerPath, src);
      const result = await receiveFiles(port, protocol, { dir: out, overwrite: false, maxFileSize: 1 << 20 }, options);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      await peerDone(peer);
      expect(readdirSync(out).sort()).toEqual(['one.bin', 'two.bin']);
      ['one.bin', 'two.bin'].forEach((name, i) => expect(sha256(readFileSync(join(out, name)))).toBe(sha256(files[i]!)));
    }
  });
});
