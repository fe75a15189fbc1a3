/**
 * The app's backend (what the Transfers tool drives) against the real CLI: files the window
 * uploads go to `msp --mode server --receive-dir` over TCP, TLS, an MSP v3 session and a socat
 * pty; `msp --mode client --send-file` to the backend's server is asked about, accepted into a
 * folder ("always" for the rest of the session), or declined; pause and resume.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkConfigSchema, type LinkConfigInput } from '../../shared/ipc/schemas.ts';
import { serialOpenSchema } from '../../shared/ipc/serial.ts';
import { UPLOAD_CHUNK_BYTES, offerAnswerSchema } from '../../shared/ipc/transfer.ts';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { PacketType, packetLabel } from '../../shared/msp/index.ts';
import { FileTransferType } from '../../shared/msp/file-transfer.ts';
import { startCli, stopAllClis } from '../helpers/cli-process.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';

let dir: string;
let rx: string;
const backends: RecordedBackend[] = [];
const servers: CliServer[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-ft-app-'));
  rx = join(dir, 'rx');
  mkdirSync(rx);
});
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.backend.dispose()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await stopAllClis();
  await stopAllPtyPairs();
  rmSync(dir, { recursive: true, force: true });
});

function backend(): RecordedBackend {
  const b = recordedBackend({ receiveDir: rx });
  backends.push(b);
  return b;
}

async function cliServer(...args: string[]): Promise<CliServer> {
  const s = await startCliServer(args);
  servers.push(s);
  return s;
}

const open = (b: RecordedBackend, config: LinkConfigInput) => b.backend.openLink(linkConfigSchema.parse(config));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const views = (b: RecordedBackend) => b.payloads('transfer.update');

/** What the window does with a dropped file: its bytes, in pieces, then "send". */
async function upload(b: RecordedBackend, name: string, bytes: Buffer): Promise<string[]> {
  const started = await b.backend.transfers.uploadStart({ name, size: bytes.length });
  if (!started.ok) throw new Error(started.error.message);
  const { uploadId } = started.value;
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES) {
    const piece = await b.backend.transfers.uploadChunk({ uploadId, offset, data: bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES).toString('base64') });
    if (!piece.ok) throw new Error(piece.error.message);
  }
  const finished = await b.backend.transfers.uploadFinish(uploadId);
  if (!finished.ok) throw new Error(finished.error.message);
  return finished.value.keys;
}

async function sendAndCheck(b: RecordedBackend, s: { waitFor: CliServer['waitFor']; events: CliServer['events'] }, name: string, size: number) {
  const bytes = randomBytes(size);
  const [key] = await upload(b, name, bytes);
  await b.waitFor(() => views(b).some((v) => v.key === key && v.state === 'done'), `${name} sent`);
  await s.waitFor((e) => e.some((x) => x.event === 'transfer-done' && x.name === name));
  expect(sha(readFileSync(join(rx, name)))).toBe(sha(bytes));
}

describe('app backend ↔ CLI file transfer', () => {
  it('over TCP: the window uploads a file, the CLI server receives it verified; the list shows it done', async () => {
    const s = await cliServer('--receive-dir', rx);
    const b = backend();
    expect(await open(b, { mode: 'client', host: '127.0.0.1', port: s.port })).toMatchObject({ ok: true });
    await sendAndCheck(b, s, 'from-gui.bin', 1_500_000);
    expect(views(b).at(-1)).toMatchObject({ dir: 'send', state: 'done', savedAs: 'from-gui.bin', bytes: 1_500_000 });
    // The transfer's packets are in the log like any others.
    expect(b.entries().some((e) => e.dir === 'out' && e.kind === 'packet' && e.raw[5] === 0x43)).toBe(true);
  });

  it('over TLS (pinned) and in an MSP v3 session', async () => {
    const tls = await cliServer('--tls', '--receive-dir', rx);
    const fingerprint = String(tls.events.find((e) => e.event === 'tls')!.fingerprint);
    const b1 = backend();
    expect(await open(b1, { mode: 'client', host: '127.0.0.1', port: tls.port, security: { tls: { fingerprint } } })).toMatchObject({ ok: true });
    await sendAndCheck(b1, tls, 'over-tls.bin', 200_000);
    const v3 = await cliServer('--password', 'gui pw', '--receive-dir', rx);
    const b2 = backend();
    expect(await open(b2, { mode: 'client', host: '127.0.0.1', port: v3.port, security: { password: { source: 'typed', value: 'gui pw', remember: false } } })).toMatchObject({ ok: true });
    await sendAndCheck(b2, v3, 'over-v3.bin', 200_000);
    // The log names each sealed message by the TYPE inside it (the window shows "SEALED_SERVICE › FT_CHUNK").
    const sealedRows = () => b2.entries().filter((e) => e.kind === 'packet' && e.raw[5] === PacketType.SEALED_SERVICE);
    const named = (dir: 'in' | 'out') => new Set(sealedRows().filter((e) => e.dir === dir).map((e) => packetLabel(e.raw[5], e.innerType)));
    // Log rows come in batches: the transfer's end may be shown before its last rows arrive.
    await b2.waitFor(() => named('in').has('SEALED_SERVICE › FT_DONE'), 'the FT_DONE row');
    const sealed = sealedRows();
    expect([...named('out')].sort()).toEqual(['SEALED_SERVICE › FT_CHUNK', 'SEALED_SERVICE › FT_OFFER']);
    for (const type of ['FT_ACCEPT', 'FT_PROGRESS', 'FT_DONE']) expect(named('in').has(`SEALED_SERVICE › ${type}`)).toBe(true);
    expect(sealed.every((e) => e.lock === 'v3' && e.innerType !== undefined)).toBe(true);
    // Over TLS alone the same messages go as themselves: nothing sealed, no inner TYPE.
    expect(b1.entries().some((e) => e.raw[5] === FileTransferType.CHUNK && e.innerType === undefined && e.lock === 'tls')).toBe(true);
  });

  it('the backend receives from a CLI client: asked first; declined is refused; accepted with "always", the next file is not asked', async () => {
    const b = backend();
    const listening = await open(b, { mode: 'server', bind: '127.0.0.1', port: 0 });
    if (!listening.ok || listening.value.state !== 'listening') throw new Error('no listen');
    const port = String(listening.value.port);
    const one = join(dir, 'one.txt');
    const two = join(dir, 'two.txt');
    writeFileSync(one, 'first file');
    writeFileSync(two, 'second file');
    // Declined.
    const declined = runCli(['--mode', 'client', '--port', port, '--send-file', one]);
    await b.waitFor(() => b.payloads('transfer.offers').at(-1)?.length === 1, 'the question');
    const offer = b.payloads('transfer.offers').at(-1)![0];
    expect(offer).toMatchObject({ name: 'one.txt', size: 10, folder: rx });
    expect(b.backend.transfers.answer(offerAnswerSchema.parse({ offerId: offer.offerId, accept: false }))).toMatchObject({ ok: true });
    const refused = await declined;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/declined/);
    // Accepted into another folder, always.
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const sending = runCli(['--mode', 'client', '--port', port, '--send-file', one, '--send-file', two]);
    await b.waitFor(() => b.payloads('transfer.offers').at(-1)?.length === 1, 'the second question');
    const again = b.payloads('transfer.offers').at(-1)![0];
    b.backend.transfers.answer(offerAnswerSchema.parse({ offerId: again.offerId, accept: true, folder: elsewhere, always: true }));
    const run = await sending;
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(elsewhere).sort()).toEqual(['one.txt', 'two.txt']);
    expect(b.payloads('transfer.offers').filter((o) => o.length > 0)).toHaveLength(2); // "two.txt" was not asked
    expect(views(b).filter((v) => v.dir === 'receive' && v.state === 'done').map((v) => v.name)).toEqual(['one.txt', 'two.txt']);
  });

  it('receive mode "folder" accepts without asking; "off" refuses', async () => {
    const b = backend();
    const listening = await open(b, { mode: 'server', bind: '127.0.0.1', port: 0 });
    if (!listening.ok || listening.value.state !== 'listening') throw new Error('no listen');
    const port = String(listening.value.port);
    const f = join(dir, 'auto.txt');
    writeFileSync(f, 'auto');
    b.backend.transfers.setReceive({ mode: 'folder', folder: rx });
    expect((await runCli(['--mode', 'client', '--port', port, '--send-file', f])).code).toBe(0);
    expect(readFileSync(join(rx, 'auto.txt'), 'utf8')).toBe('auto');
    b.backend.transfers.setReceive({ mode: 'off' });
    const off = await runCli(['--mode', 'client', '--port', port, '--send-file', f]);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/does not accept files/);
  });

  it('pause keeps the part file on the receiver; resume continues from there', async () => {
    const s = await cliServer('--receive-dir', rx);
    const b = backend();
    await open(b, { mode: 'client', host: '127.0.0.1', port: s.port });
    const bytes = randomBytes(40_000_000);
    const [key] = await upload(b, 'paused.bin', bytes);
    await b.waitFor(() => views(b).some((v) => v.key === key && v.state === 'running' && v.bytes > 0), 'the transfer running');
    expect(b.backend.transfers.stop(key, 'paused')).toMatchObject({ ok: true });
    await b.waitFor(() => views(b).some((v) => v.key === key && v.state === 'paused'), 'paused');
    expect(views(b).at(-1)).toMatchObject({ state: 'paused', resumable: true });
    await s.waitFor((e) => e.some((x) => x.event === 'transfer-failed'));
    expect(readdirSync(rx)[0]).toMatch(/\.part$/);
    expect(b.backend.transfers.resume(key)).toMatchObject({ ok: true });
    await b.waitFor(() => views(b).some((v) => v.key === key && v.state === 'done'), 'resumed to the end', 30_000);
    const started = s.events.filter((e) => e.event === 'transfer-started');
    expect(started.at(-1)!.offset as number).toBeGreaterThan(0);
    expect(sha(readFileSync(join(rx, 'paused.bin')))).toBe(sha(bytes));
  });
});

describe(`app backend ↔ CLI over a socat pty${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('the backend on a serial port sends a file to a CLI responder with --receive-dir', async () => {
    const pty = await startPtyPair();
    const responder = await startCli(['--mode', 'server', '--serial', pty.a, '--baud', '115200', '--receive-dir', rx], (e) => e.event === 'open');
    const b = backend();
    const opened = await b.backend.openSerial(
      serialOpenSchema.parse({ path: pty.b, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'sender' }),
    );
    expect(opened).toMatchObject({ ok: true });
    await sendAndCheck(b, { waitFor: (p) => responder.waitFor(p, 'received'), events: responder.events }, 'over-serial.bin', 60_000);
  });
});
