/**
 * MSP file transfer between two Sessions (docs/PROTOCOL.md, "File transfer"): in-memory links
 * with a relay in the middle that plays the bad line or the attacker, plain and under MSP v3,
 * into real folders on disk.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTransferService } from '../../electron/main/link/services/file-transfer/file-transfer-service.ts';
import { FileReceiver } from '../../electron/main/link/services/file-transfer/file-receiver.ts';
import { FILE_TRANSFER_LIMITS } from '../../shared/limits.ts';
import { ReceiveFolder, partName } from '../../electron/main/link/services/file-transfer/receive-folder.ts';
import type { TransferEvent } from '../../shared/file-transfer/events.ts';
import { FileTransferType, encodeOffer, writeChunkHeader, CHUNK_HEADER_SIZE } from '../../shared/msp/file-transfer.ts';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { link, passwordServer, v3Client } from '../helpers/v3.ts';
import { waitFor } from '../helpers/wait.ts';
import { UNSAFE_NAMES } from '../helpers/unsafe-names.ts';

let dir: string;
let rx: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-ft-'));
  rx = join(dir, 'rx');
  mkdirSync(rx);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: number | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, typeof bytes === 'number' ? randomBytes(bytes) : bytes);
  return path;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function pair(options: { password?: string; overwrite?: boolean; maxFileSize?: number; receive?: boolean; chunkSize?: number } = {}) {
  const folder = await ReceiveFolder.open({ dir: rx, overwrite: options.overwrite, maxFileSize: options.maxFileSize });
  if (!folder.ok) throw new Error(folder.error);
  const sent: TransferEvent[] = [];
  const received: TransferEvent[] = [];
  let sender: FileTransferService | undefined;
  let receiver: FileTransferService | undefined;
  const linked = link(
    {
      ...(options.password ? { security: v3Client(options.password) } : {}),
      services: [() => (sender = new FileTransferService({ onEvent: (e) => sent.push(e), ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) }))],
    },
    {
      ...(options.password ? { security: await passwordServer(options.password) } : {}),
      services: [
        () =>
          (receiver = new FileTransferService({
            onEvent: (e) => received.push(e),
            ...(options.receive === false ? {} : { receive: async () => ({ folder: folder.value }) }),
          })),
      ],
    },
  );
  if (options.password) expect(await linked.client.whenReady()).toBeUndefined();
  return { ...linked, sender: sender!, receiver: receiver!, sent, received };
}

describe('MSP file transfer between two sessions', () => {
  it('sends several files in one run; each arrives whole, verified, under its own name', async () => {
    const { sender, received } = await pair({ chunkSize: 1000 });
    const a = file('a.bin', 300_000);
    const b = file('empty.txt', 0);
    const c = file('c.txt', Buffer.from('hello'));
    for (const path of [a, b, c]) expect(await sender.sendFile(path)).toMatchObject({ ok: true });
    expect(readdirSync(rx).sort()).toEqual(['a.bin', 'c.txt', 'empty.txt']);
    expect(sha(join(rx, 'a.bin'))).toBe(sha(a));
    expect(readFileSync(join(rx, 'c.txt'), 'utf8')).toBe('hello');
    expect(received.filter((e) => e.kind === 'done')).toHaveLength(3);
  });

  it('under MSP v3 every chunk is sealed: the file never appears in clear on the wire', async () => {
    const { sender, relay } = await pair({ password: 'pw' });
    const marker = Buffer.from('SECRET-MARKER-'.repeat(100));
    let wire = Buffer.alloc(0);
    relay.tamper = (chunk) => {
      wire = Buffer.concat([wire, chunk]);
      return [chunk];
    };
    expect(await sender.sendFile(file('secret.txt', marker))).toMatchObject({ ok: true, savedAs: 'secret.txt' });
    expect(readFileSync(join(rx, 'secret.txt'))).toEqual(marker);
    expect(wire.includes(Buffer.from('SECRET-MARKER'))).toBe(false);
    expect(wire.includes(Buffer.from('secret.txt'))).toBe(false);
  });

  it('a bad line: corrupted and dropped chunks are sent again (NAK, timeout) and the file still verifies', async () => {
    const { sender, relay, sent } = await pair({ chunkSize: 4096 });
    const src = file('noisy.bin', 150_000);
    let chunks = 0;
    // Each write on this link is one packet. Damage every 7th CHUNK: flip a data byte and fix
    // the one-byte sum so only CRC-32 can catch it, or drop it, in turn.
    relay.tamper = (packet) => {
      if (packet[5] !== FileTransferType.CHUNK || ++chunks % 7 !== 0) return [packet];
      if (chunks % 14 === 0) return [];
      const bad = Buffer.from(packet);
      const at = 6 + CHUNK_HEADER_SIZE + 10;
      bad[bad.length - 1] = (bad[bad.length - 1] - bad[at] + (bad[at] ^ 0x01)) & 0xff;
      bad[at] ^= 0x01;
      return [bad];
    };
    expect(await sender.sendFile(src)).toMatchObject({ ok: true });
    expect(sha(join(rx, 'noisy.bin'))).toBe(sha(src));
    expect(chunks).toBeGreaterThan(150_000 / 4096 + 5); // some were sent again
    expect(sent.some((e) => e.kind === 'done')).toBe(true);
  });

  it('a cut link leaves a .part file; offered again, the file resumes from there instead of restarting', async () => {
    const src = file('resume.bin', 400_000);
    const first = await pair({ chunkSize: 4096 });
    let passed = 0;
    first.relay.tamper = (packet) => {
      if (packet[5] === FileTransferType.CHUNK && (passed += packet.length) > 200_000) {
        first.client.close(); // the cable is pulled halfway
        return [];
      }
      return [packet];
    };
    expect(await first.sender.sendFile(src)).toMatchObject({ ok: false, error: { code: 'FT_ERR_LINK' } });
    await waitFor(() => first.received.some((e) => e.kind === 'failed'), 'the receiver to see the link drop');
    const parts = readdirSync(rx);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^resume\.bin\.[0-9a-f]{16}\.part$/);
    const second = await pair({ chunkSize: 4096 });
    expect(await second.sender.sendFile(src)).toMatchObject({ ok: true });
    const started = second.received.find((e) => e.kind === 'started');
    expect(started && started.kind === 'started' && started.offset).toBeGreaterThan(100_000);
    expect(readdirSync(rx)).toEqual(['resume.bin']);
    expect(sha(join(rx, 'resume.bin'))).toBe(sha(src));
  });

  it('a file whose SHA-256 does not match the offer is deleted, and both sides say so', async () => {
    const { client, received } = await pair();
    const data = Buffer.from('these bytes are not what the offer promised');
    const wrongHash = createHash('sha256').update('something else').digest();
    client.sendService(FileTransferType.OFFER, encodeOffer({ id: 9, size: data.length, mtimeMs: 0, sha256: wrongHash, name: 'liar.txt' }));
    await waitFor(() => received.some((e) => e.kind === 'started'), 'the offer accepted');
    client.sendService(FileTransferType.CHUNK, chunkPayload(9, 0, data));
    await waitFor(() => received.some((e) => e.kind === 'failed'), 'the check to fail');
    expect(received.find((e) => e.kind === 'failed')).toMatchObject({ code: 'FT_ERR_HASH_MISMATCH' });
    expect(readdirSync(rx)).toEqual([]);
  });

  it('every unsafe name of the table is refused or sanitised, and nothing is written outside the folder', async () => {
    const { client, received } = await pair();
    const data = Buffer.from('x');
    const hash = createHash('sha256').update(data).digest();
    let id = 100;
    for (const [offered, expected] of UNSAFE_NAMES) {
      if (Buffer.byteLength(offered) > 255 || offered === '') continue; // not even encodable as an offer
      const before = received.length;
      client.sendService(FileTransferType.OFFER, encodeOffer({ id: ++id, size: 1, mtimeMs: 0, sha256: hash, name: offered }));
      await waitFor(() => received.slice(before).some((e) => e.kind === 'failed' || e.kind === 'started'), `an answer to ${JSON.stringify(offered)}`);
      if (expected === null) {
        expect(received.slice(before).find((e) => e.kind === 'failed'), offered).toMatchObject({ code: 'FT_ERR_REFUSED' });
        continue;
      }
      client.sendService(FileTransferType.CHUNK, chunkPayload(id, 0, data));
      await waitFor(() => received.slice(before).some((e) => e.kind === 'done'), `${JSON.stringify(offered)} saved`);
      expect(received.slice(before).find((e) => e.kind === 'done'), offered).toMatchObject({ savedAs: expected });
      expect(readdirSync(rx)).toEqual([expected]);
      rmSync(join(rx, expected));
    }
    // The temporary folder holds the receive folder and nothing else: no path escaped it.
    expect(readdirSync(dir)).toEqual(['rx']);
  });

  it('never overwrites without consent: a second file of the same name is saved as "name (1).ext"; with overwrite it replaces', async () => {
    writeFileSync(join(rx, 'same.txt'), 'old');
    const { sender } = await pair();
    expect(await sender.sendFile(file('same.txt', Buffer.from('new')))).toMatchObject({ ok: true, savedAs: 'same (1).txt' });
    expect(readFileSync(join(rx, 'same.txt'), 'utf8')).toBe('old');
    const replacing = await pair({ overwrite: true });
    expect(await replacing.sender.sendFile(join(dir, 'same.txt'))).toMatchObject({ ok: true, savedAs: 'same.txt' });
    expect(readFileSync(join(rx, 'same.txt'), 'utf8')).toBe('new');
  });

  it('symlinks planted in the folder are not followed: not as the .part file, not as the final name', async () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'precious');
    const data = Buffer.from('attack');
    const src = file('planted.txt', data);
    const hash = createHash('sha256').update(data).digest();
    symlinkSync(outside, join(rx, partName('planted.txt', hash)));
    const first = await pair();
    expect(await first.sender.sendFile(src)).toMatchObject({ ok: false, error: { code: 'FT_ERR_REFUSED' } });
    rmSync(join(rx, partName('planted.txt', hash)));
    symlinkSync(outside, join(rx, 'planted.txt'));
    const second = await pair();
    expect(await second.sender.sendFile(src)).toMatchObject({ ok: true, savedAs: 'planted (1).txt' });
    expect(readFileSync(outside, 'utf8')).toBe('precious');
  });

  it('refuses with a reason: no receive policy, or a file over the size limit', async () => {
    const off = await pair({ receive: false });
    const refused = await off.sender.sendFile(file('a.txt', 10));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FT_ERR_REFUSED' } });
    expect(!refused.ok && refused.error.message).toMatch(/does not accept files/);
    const small = await pair({ maxFileSize: 100 });
    const tooBig = await small.sender.sendFile(file('big.bin', 101));
    expect(!tooBig.ok && tooBig.error.message).toMatch(/larger than the receiver allows/);
    expect(existsSync(join(rx, 'big.bin'))).toBe(false);
  });

  it('on a clean link nothing is sent twice: the sender keeps whole chunks inside the window the receiver accepted with', async () => {
    // A window that is not a whole number of chunks (4 MiB against 64,512-byte chunks on TCP):
    // a sender that let its last chunk run past it had that chunk dropped, NAKed, and went back.
    const limits = FILE_TRANSFER_LIMITS as { receiveWindow: number };
    const window = limits.receiveWindow;
    limits.receiveWindow = 10_000;
    try {
      const { sender, relay } = await pair({ chunkSize: 3000 });
      const src = file('clean.bin', 200_000);
      let chunks = 0;
      let naks = 0;
      relay.tamper = (packet) => ((chunks += packet[5] === FileTransferType.CHUNK ? 1 : 0), [packet]);
      relay.tamperToClient = (packet) => ((naks += packet[5] === FileTransferType.NAK ? 1 : 0), [packet]);
      expect(await sender.sendFile(src)).toMatchObject({ ok: true });
      expect(sha(join(rx, 'clean.bin'))).toBe(sha(src));
      expect(naks).toBe(0);
      expect(chunks).toBe(Math.ceil(200_000 / 3000));
    } finally {
      limits.receiveWindow = window;
    }
  });

  it('a sender that ignores the window cannot make the receiver hold more than its window', async () => {
    const folder = await ReceiveFolder.open({ dir: rx });
    if (!folder.ok) throw new Error(folder.error);
    const size = 64 << 20;
    const offer = { id: 5, size, mtimeMs: 0, sha256: new Uint8Array(32), name: 'flood.bin' };
    const part = await folder.value.openPart(offer);
    if (!part.ok) throw new Error(part.error.why);
    const sentBack: number[] = [];
    const io = { peer: 'attacker', authenticated: false, sibling: () => undefined, send: (type: number) => (sentBack.push(type), { ok: true as const, value: { id: 0 } }) };
    const receiver = new FileReceiver(io, offer, part.value, folder.value, () => {}, 'k');
    receiver.start();
    const data = Buffer.alloc(60_000, 1);
    let most = 0;
    // 64 MiB of in-order chunks in one go, never waiting for a write or a PROGRESS.
    for (let offset = 0; offset + data.length <= size; offset += data.length) {
      receiver.chunk({ id: 5, offset, crc32: zlibCrc32(data), data });
      most = Math.max(most, receiver.heldBytes);
    }
    expect(most).toBeLessThanOrEqual(FILE_TRANSFER_LIMITS.receiveWindow);
    receiver.stop('cancelled', 'test over');
  });

  it('a sender that goes silent is dropped after the idle time, counted from the last chunk, and its part is kept', async () => {
    const folder = await ReceiveFolder.open({ dir: rx });
    if (!folder.ok) throw new Error(folder.error);
    const data = Buffer.alloc(1000, 7);
    const offer = { id: 6, size: 10 * data.length, mtimeMs: 0, sha256: new Uint8Array(32), name: 'quiet.bin' };
    const part = await folder.value.openPart(offer);
    if (!part.ok) throw new Error(part.error.why);
    const io = { peer: 'quiet peer', authenticated: false, sibling: () => undefined, send: () => ({ ok: true as const, value: { id: 0 } }) };
    const events: TransferEvent[] = [];
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const receiver = new FileReceiver(io, offer, part.value, folder.value, (e) => events.push(e), 'k');
      receiver.start();
      const idle = FILE_TRANSFER_LIMITS.receiveIdleMs;
      for (let k = 0; k < 3; k++) {
        vi.advanceTimersByTime(idle - 1000); // heard from within the idle time each time: still receiving
        receiver.chunk({ id: 6, offset: k * data.length, crc32: zlibCrc32(data), data });
        while (receiver.heldBytes > 0) await settled();
      }
      expect(events.some((e) => e.kind === 'failed')).toBe(false);
      vi.advanceTimersByTime(idle - 1000);
      expect(events.some((e) => e.kind === 'failed')).toBe(false);
      vi.advanceTimersByTime(1000);
      while (!events.some((e) => e.kind === 'failed')) await settled();
      expect(events.find((e) => e.kind === 'failed')).toMatchObject({ code: 'FT_ERR_LINK', message: expect.stringContaining('nothing came from quiet peer'), bytes: 3000 });
      expect(existsSync(join(rx, partName(offer.name, offer.sha256)))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

function crc(data: Uint8Array): number {
  return zlibCrc32(data);
}

function chunkPayload(id: number, offset: number, data: Uint8Array): Uint8Array {
  const payload = new Uint8Array(CHUNK_HEADER_SIZE + data.length);
  payload.set(data, CHUNK_HEADER_SIZE);
  writeChunkHeader(payload, id, offset, crc(data));
  return payload;
}
