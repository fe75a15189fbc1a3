/**
 * The app's X/Y/ZMODEM tool (ModemBackend through AppBackend) against Debian's lrzsz over a
 * socat pty pair: receiving from `sz` into the panel's folder, sending an uploaded file to
 * `rz` (SHA-256 equal both ways), refusing the port the window's MSP link holds (both ways
 * round), raw TCP, and Cancel.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendFiles } from '../../electron/main/modem/transfer.ts';
import type { ModemLineRequest, ModemRunView } from '../../shared/ipc/modem.ts';
import { UPLOAD_CHUNK_BYTES } from '../../shared/ipc/transfer.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { lrzszSkip, runLrzsz } from '../helpers/lrzsz.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let b: RecordedBackend;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-app-modem-'));
  b = recordedBackend({ receiveDir: work });
});
afterEach(async () => {
  await b.backend.dispose();
  await stopAllPtyPairs();
  rmSync(work, { recursive: true, force: true });
});

const serialLine = (path: string): ModemLineRequest => ({ kind: 'serial', path, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' });

function lastRun(): ModemRunView | undefined {
  return b.payloads('modem.update').at(-1);
}

async function runEnds(state: ModemRunView['state'] = 'done'): Promise<ModemRunView> {
  await b.waitFor(() => ['done', 'failed', 'cancelled'].includes(lastRun()?.state ?? ''), 'the modem run to end', 30_000);
  const run = lastRun()!;
  expect(run.state, JSON.stringify(run)).toBe(state);
  return run;
}

/** Hands a file's bytes to main as the window does (transfer.uploadStart / uploadChunk). */
async function upload(name: string, bytes: Buffer): Promise<string> {
  const started = await b.backend.uploads.start({ name, size: bytes.length });
  if (!started.ok) throw new Error(started.error.message);
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
    const piece = await b.backend.uploads.chunk({ uploadId: started.value.uploadId, offset, data: bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES).toString('base64') });
    if (!piece.ok) throw new Error(piece.error.message);
  }
  return started.value.uploadId;
}

describe.skipIf(socatSkip.skip || lrzszSkip.skip)(`app X/Y/ZMODEM tool with lrzsz${socatSkip.reason}${lrzszSkip.reason}`, () => {
  it('receives from sz (ZMODEM) into the chosen folder, SHA-256 equal, with progress rows', async () => {
    const pair = await startPtyPair();
    const src = mkdtempSync(join(work, 'src-'));
    const dst = mkdtempSync(join(work, 'dst-'));
    const data = randomBytes(200 * 1024);
    writeFileSync(join(src, 'from sz.bin'), data);
    const started = await b.backend.modem.receive({ line: serialLine(pair.a), protocol: 'zmodem', folder: dst, overwrite: false, maxFileSize: 1 << 20 });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const peer = runLrzsz('sz', ['from sz.bin'], pair.b, src);
    const run = await runEnds();
    expect((await peer.done).code).toBe(0);
    expect(readdirSync(dst)).toEqual(['from sz.bin']);
    expect(sha256(readFileSync(join(dst, 'from sz.bin')))).toBe(sha256(data));
    expect(run.files).toEqual([expect.objectContaining({ name: 'from sz.bin', size: data.length, bytes: data.length, state: 'done', savedAs: join(dst, 'from sz.bin') })]);
    expect(run.direction).toBe('receive');
    expect(run.line).toBe(`${pair.a} 115200 8N1`);
    // Progress came in between, bounded (at most every 100 ms plus the state changes).
    const updates = b.payloads('modem.update');
    expect(updates.length).toBeGreaterThan(2);
    expect(updates.length).toBeLessThan(200);
  }, 40_000);

  it('sends an uploaded file to rz (ZMODEM), SHA-256 equal, and deletes the staged copy', async () => {
    const pair = await startPtyPair();
    const dst = mkdtempSync(join(work, 'dst-'));
    const data = randomBytes(150 * 1024);
    const uploadId = await upload('to rz.bin', data);
    const peer = runLrzsz('rz', [], pair.b, dst);
    const started = await b.backend.modem.send({ line: serialLine(pair.a), protocol: 'zmodem', uploadIds: [uploadId] });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const run = await runEnds();
    expect((await peer.done).code).toBe(0);
    expect(sha256(readFileSync(join(dst, 'to rz.bin')))).toBe(sha256(data));
    expect(run.files).toEqual([expect.objectContaining({ name: 'to rz.bin', bytes: data.length, state: 'done' })]);
    // The staged upload is gone, and cannot be sent twice.
    const again = await b.backend.modem.send({ line: serialLine(pair.a), protocol: 'zmodem', uploadIds: [uploadId] });
    expect(again).toMatchObject({ ok: false, error: { code: 'APP_ERR_NO_UPLOAD' } });
  }, 40_000);

  it('refuses the port the MSP link has open, under another spelling too, and the link refuses a port a transfer holds', async () => {
    const pair = await startPtyPair();
    const opened = await b.backend.openSerial({
      path: pair.a, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none',
      role: 'sender', packetGapMs: 0, maxPacketSize: 65535, reopen: false,
    });
    expect(opened.ok, JSON.stringify(opened)).toBe(true);
    const uploadId = await upload('x.bin', Buffer.from('hello'));
    const { realpathSync } = await import('node:fs');
    for (const path of [pair.a, realpathSync(pair.a)]) {
      const refused = await b.backend.modem.receive({ line: serialLine(path), protocol: 'zmodem', folder: work, overwrite: false, maxFileSize: 1000 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_PORT_IN_USE' } });
      expect(refused.ok || refused.error.message).toMatch(/open for this window's MSP link/);
    }
    const sendRefused = await b.backend.modem.send({ line: serialLine(pair.a), protocol: 'zmodem', uploadIds: [uploadId] });
    expect(sendRefused).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_PORT_IN_USE' } });
    await b.backend.closeLink();

    // Now a transfer waits on B; the MSP link may not open B (but may open A).
    const waiting = await b.backend.modem.receive({ line: serialLine(pair.b), protocol: 'zmodem', folder: work, overwrite: false, maxFileSize: 1000 });
    expect(waiting.ok).toBe(true);
    const linkRefused = await b.backend.openSerial({
      path: pair.b, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none',
      role: 'sender', packetGapMs: 0, maxPacketSize: 65535, reopen: false,
    });
    expect(linkRefused).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_PORT_IN_USE' } });
    // A second transfer while one runs is refused too.
    const busy = await b.backend.modem.receive({ line: serialLine(pair.a), protocol: 'zmodem', folder: work, overwrite: false, maxFileSize: 1000 });
    expect(busy).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_BUSY' } });
    expect(b.backend.modem.cancel()).toEqual({ ok: true, value: null });
    await runEnds('cancelled');
  }, 40_000);

  it('receives over raw TCP (YMODEM from our own sender on the far end); a closed port and a relative folder are refused', async () => {
    const src = mkdtempSync(join(work, 'src-'));
    const dst = mkdtempSync(join(work, 'dst-'));
    const data = randomBytes(70 * 1024);
    writeFileSync(join(src, 'over tcp.bin'), data);
    const server = createServer((socket) => void sendFiles(socket, 'ymodem', [join(src, 'over tcp.bin')], { timeoutMs: 3000 }).then(() => socket.end()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const relative = await b.backend.modem.receive({ line: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'ymodem', folder: 'inbox', overwrite: false, maxFileSize: 1 << 20 });
      expect(relative).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_FILE', message: expect.stringMatching(/not a full path/) } });
      const started = await b.backend.modem.receive({ line: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'ymodem', folder: dst, overwrite: false, maxFileSize: 1 << 20 });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const run = await runEnds();
      expect(run.line).toBe(`127.0.0.1:${port}`);
      expect(sha256(readFileSync(join(dst, 'over tcp.bin')))).toBe(sha256(data));
    } finally {
      server.close();
    }
    const closed = await b.backend.modem.receive({ line: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'zmodem', folder: dst, overwrite: false, maxFileSize: 1000 });
    expect(closed).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_CONNECT' } });
  }, 40_000);

  it('two requests at the same moment: one runs, the other is refused as busy', async () => {
    const pair = await startPtyPair();
    const results = await Promise.all([pair.a, pair.b].map((path) => b.backend.modem.receive({ line: serialLine(path), protocol: 'zmodem', folder: work, overwrite: false, maxFileSize: 1000 })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'MODEM_ERR_BUSY' } });
    b.backend.modem.cancel();
    await runEnds('cancelled');
  }, 20_000);

  it('Cancel during a send tells rz with CANs: rz stops, nothing finished is left', async () => {
    const pair = await startPtyPair();
    const dst = mkdtempSync(join(work, 'dst-'));
    const uploadId = await upload('big.bin', randomBytes(8 * 1024 * 1024));
    const peer = runLrzsz('rz', [], pair.b, dst);
    const started = await b.backend.modem.send({ line: serialLine(pair.a), protocol: 'zmodem', uploadIds: [uploadId] });
    expect(started.ok).toBe(true);
    await b.waitFor(() => (lastRun()?.files[0]?.bytes ?? 0) > 0, 'the first bytes to go', 20_000);
    expect(b.backend.modem.cancel().ok).toBe(true);
    await runEnds('cancelled');
    const { code } = await peer.done;
    expect(code).not.toBe(0);
    expect(existsSync(join(dst, 'big.bin')) ? readFileSync(join(dst, 'big.bin')).length : 0).toBeLessThan(8 * 1024 * 1024);
  }, 40_000);
});
