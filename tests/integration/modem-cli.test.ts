/**
 * `msp --mode send|receive --protocol ...`: the flags (bad ones are one line and exit 2), a
 * ZMODEM receive from lrzsz's sz over a socat pty, and a YMODEM send over raw TCP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveFiles } from '../../electron/main/modem/transfer.ts';
import { runCli } from '../helpers/cli.js';
import { lrzszSkip, runLrzsz } from '../helpers/lrzsz.js';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-modem-cli-'));
});
afterEach(async () => {
  await stopAllPtyPairs();
  rmSync(work, { recursive: true, force: true });
});

describe('msp --mode send|receive', () => {
  const refusals: [string[], RegExp][] = [
    [['--mode', 'receive', '--serial', '/dev/null', '--protocol', 'zmodem'], /needs --receive-dir DIR/],
    [['--mode', 'receive', '--serial', '/dev/null', '--protocol', 'xmodem', '--receive-dir', '.'], /XMODEM carries no file name/],
    [['--mode', 'send', '--serial', '/dev/null', '--protocol', 'kermit', 'f'], /Unknown --protocol "kermit"/],
    [['--mode', 'send', '--serial', '/dev/null', '--protocol', 'zmodem'], /needs the FILE/],
    [['--mode', 'send', '--serial', '/dev/null', '--protocol', 'xmodem', 'a', 'b'], /XMODEM sends one file/],
    [['--mode', 'send', '--protocol', 'zmodem', 'f'], /needs --serial PATH, or --host and --port/],
    [['--mode', 'send', '--serial', '/dev/null', '--protocol', 'zmodem', '--overwrite', 'f'], /--overwrite is for --mode receive/],
    [['--mode', 'receive', '--port', '1', '--protocol', 'zmodem', '--receive-dir', '.', '--max-file-size', 'lots'], /--max-file-size must be/],
  ];
  for (const [args, message] of refusals) {
    it(`refuses ${args.slice(2).join(' ')}`, async () => {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    });
  }

  it('--help lists the transfer flags', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toContain('--receive-dir DIR');
    expect(run.stdout).toContain('xmodem, xmodem-1k, ymodem, zmodem');
  });

  it.skipIf(socatSkip.skip || lrzszSkip.skip)(`receives with ZMODEM from sz over a pty, --json events${socatSkip.reason}${lrzszSkip.reason}`, async () => {
    const data = randomBytes(30_000);
    writeFileSync(join(work, 'from sz.bin'), data);
    const out = mkdtempSync(join(work, 'out-'));
    const pair = await startPtyPair();
    const sz = runLrzsz('sz', ['from sz.bin'], pair.b, work);
    const run = await runCli(['--mode', 'receive', '--serial', pair.a, '--baud', '115200', '--protocol', 'zmodem', '--receive-dir', out, '--json', '--timeout', '3']);
    expect(run.code, run.stderr).toBe(0);
    expect((await sz.done).code).toBe(0);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.event === 'file-done')).toMatchObject({ name: 'from sz.bin', bytes: 30_000, path: join(out, 'from sz.bin') });
    expect(events.at(-1)).toEqual({ event: 'done' });
    expect(sha256(readFileSync(join(out, 'from sz.bin')))).toBe(sha256(data));
  });

  it('sends with YMODEM over raw TCP (--host/--port)', async () => {
    const data = randomBytes(20_000);
    writeFileSync(join(work, 'tcp.bin'), data);
    const out = mkdtempSync(join(work, 'out-'));
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const connected = once(server, 'connection') as Promise<[Socket]>;
    const cli = runCli(['--mode', 'send', '--host', '127.0.0.1', '--port', String((server.address() as AddressInfo).port), '--protocol', 'ymodem', join(work, 'tcp.bin'), '--json']);
    const [socket] = await connected;
    const received = await receiveFiles(socket, 'ymodem', { dir: out, overwrite: false, maxFileSize: 1 << 20 }, { timeoutMs: 3000, maxRetries: 3 });
    expect(received.ok, JSON.stringify(received)).toBe(true);
    const run = await cli;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"event":"file-done"');
    socket.destroy();
    server.close();
    expect(sha256(readFileSync(join(out, 'tcp.bin')))).toBe(sha256(data));
  });
});
