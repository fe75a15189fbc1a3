/**
 * File transfer through the real CLI, as a user runs it: `msp --mode client --send-file` to
 * `msp --mode server --receive-dir`, over TCP, TLS, an MSP v3 secure session and a socat pty;
 * a sender killed in the middle of a file, then run again, resumes from the receiver's .part.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MSP_BIN, runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { startCli, stopAllClis } from '../helpers/cli-process.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';

let dir: string;
let rx: string;
const servers: CliServer[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-ft-cli-'));
  rx = join(dir, 'rx');
  mkdirSync(rx);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await stopAllClis();
  await stopAllPtyPairs();
  rmSync(dir, { recursive: true, force: true });
});

async function server(...args: string[]): Promise<CliServer> {
  const s = await startCliServer(args);
  servers.push(s);
  return s;
}

function file(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, randomBytes(bytes));
  return path;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const done = (events: Array<Record<string, unknown>>) => events.filter((e) => e.event === 'transfer-done');

describe('file transfer, CLI to CLI', () => {
  it('over TCP: two files, both verified; the server prints each, the client exits 0', async () => {
    const s = await server('--receive-dir', rx);
    const a = file('a.bin', 500_000);
    const b = file('b.txt', 1000);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--send-file', a, '--send-file', b]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Sent a\.bin: 488\.3 KiB in .* SHA-256 verified/);
    await s.waitFor((e) => done(e).length === 2);
    expect(done(s.events).map((e) => e.saved_as)).toEqual(['a.bin', 'b.txt']);
    expect(sha(join(rx, 'a.bin'))).toBe(sha(a));
    expect(sha(join(rx, 'b.txt'))).toBe(sha(b));
  });

  it('over TLS with a pinned certificate', async () => {
    const s = await server('--tls', '--receive-dir', rx);
    const fingerprint = String(s.events.find((e) => e.event === 'tls')!.fingerprint).replaceAll(':', '');
    const a = file('tls.bin', 300_000);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--tls-fingerprint', fingerprint, '--send-file', a, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(sha(join(rx, 'tls.bin'))).toBe(sha(a));
  });

  it('in an MSP v3 secure session (password)', async () => {
    const s = await server('--password', 'file pw', '--receive-dir', rx);
    const a = file('v3.bin', 300_000);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--password', 'file pw', '--send-file', a]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Secure session: MSP v3/);
    expect(sha(join(rx, 'v3.bin'))).toBe(sha(a));
  });

  it('a server without --receive-dir does not take files, and the client says why and exits 1', async () => {
    const s = await server();
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--send-file', file('x.txt', 10)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not receive files .*--receive-dir/);
  });

  it('an existing file is kept: the new one is saved as "name (1).ext" unless --overwrite', async () => {
    writeFileSync(join(rx, 'same.txt'), 'old');
    const s = await server('--receive-dir', rx);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--send-file', file('same.txt', 20)]);
    expect(run.stdout).toMatch(/saved as same \(1\)\.txt/);
    expect(readFileSync(join(rx, 'same.txt'), 'utf8')).toBe('old');
  });

  it('--max-file-size: a bigger file is refused with the reason', async () => {
    const s = await server('--receive-dir', rx, '--max-file-size', '1K');
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--send-file', file('big.bin', 2000)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused big\.bin: the file is larger than the receiver allows/);
    expect(readdirSync(rx)).toEqual([]);
  });

  it('a sender killed in the middle of a file, run again, resumes from the .part file instead of restarting', async () => {
    const s = await server('--receive-dir', rx);
    const src = file('resume.bin', 3_000_000);
    // A slow link (about 2 MB/s) so the kill lands mid-file.
    const slow = await throttle(s.port);
    const sender = spawn(process.execPath, [MSP_BIN, '--mode', 'client', '--port', String(slow.port), '--send-file', src], { stdio: 'ignore' });
    await s.waitFor((e) => e.some((x) => x.event === 'transfer-progress' && (x.bytes as number) > 600_000), 20_000);
    sender.kill('SIGKILL');
    await once(sender, 'exit');
    slow.close();
    await s.waitFor((e) => e.some((x) => x.event === 'transfer-failed'), 20_000);
    expect(readdirSync(rx)[0]).toMatch(/^resume\.bin\.[0-9a-f]{16}\.part$/);
    const run = await runCli(['--mode', 'client', '--port', String(s.port), '--send-file', src]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/resuming at/);
    const started = s.events.filter((e) => e.event === 'transfer-started');
    expect(started[1].offset as number).toBeGreaterThan(500_000);
    expect(readdirSync(rx)).toEqual(['resume.bin']);
    expect(sha(join(rx, 'resume.bin'))).toBe(sha(src));
  });
});

describe(`file transfer over a serial line (socat pty)${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('client --serial --send-file to a responder --serial --receive-dir', async () => {
    const pty = await startPtyPair();
    const line = ['--baud', '115200'];
    const responder = await startCli(['--mode', 'server', '--serial', pty.a, ...line, '--receive-dir', rx], (e) => e.event === 'open');
    const a = file('serial.bin', 100_000);
    const run = await runCli(['--mode', 'client', '--serial', pty.b, ...line, '--send-file', a, '--timeout', '10'], 60_000);
    expect(run.code, run.stderr).toBe(0);
    await responder.waitFor((e) => e.some((x) => x.event === 'transfer-done'), 'the file received');
    expect(sha(join(rx, 'serial.bin'))).toBe(sha(a));
  });
});

/** A TCP relay to `port` that passes at most about 2 MB/s each way. */
async function throttle(port: number): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const relay: Server = createServer((inbound) => {
    const outbound = connect({ port, host: '127.0.0.1' });
    sockets.push(inbound, outbound);
    const pace = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        from.pause();
        to.write(chunk);
        setTimeout(() => from.resume(), Math.ceil(chunk.length / 2000));
      });
    pace(inbound, outbound);
    pace(outbound, inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    inbound.on('error', () => {});
    outbound.on('error', () => {});
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  return {
    port: (relay.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}
