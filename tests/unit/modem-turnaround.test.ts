/**
 * What keeps X/Y/ZMODEM's turnarounds short on a slow line (see README "Figures" under ZMODEM):
 * the sender writes a header together with the subpacket that follows it (each write is a
 * trip through the serial driver, and the line stands idle in between), reads the file ahead
 * instead of one disk read per subpacket or block, and a receiver checks its folder before it
 * greets the sender. And the other way round: an X/YMODEM sender that answers too fast loses
 * its block to receivers that flush their input after each answer (lrzsz's rb and rx).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReceiveDir } from '../../electron/main/modem/receive-dir.ts';
import { openSource } from '../../electron/main/modem/source-file.ts';
import { receiveFiles, sendFiles } from '../../electron/main/modem/transfer.ts';
import { ZFrame, ZmodemReader } from '../../shared/modem/zmodem.ts';
import { duplexPair } from '../helpers/duplex.ts';

const work = mkdtempSync(join(tmpdir(), 'msp-modem-turnaround-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the source file read ahead', () => {
  it('returns the right bytes for any sequence of reads, and earlier results stay valid', async () => {
    const data = randomBytes(40_000);
    const path = join(work, 'src.bin');
    writeFileSync(path, data);
    const opened = await openSource(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const file = opened.value;
    const kept: [number, Uint8Array][] = [];
    // Forward in subpackets, a rewind (ZRPOS), reads across the read-ahead's edge, past the end.
    for (const [at, length] of [[0, 1024], [1024, 1024], [16_000, 1024], [2048, 128], [39_500, 1024], [40_000, 1024], [39_999, 1], [16_383, 2]] as const) {
      const got = await file.read(at, length);
      expect(Buffer.from(got).equals(data.subarray(at, Math.min(at + length, data.length)))).toBe(true);
      kept.push([at, got]);
    }
    for (const [at, got] of kept) expect(Buffer.from(got).equals(data.subarray(at, at + got.length))).toBe(true);
    await file.close();
  });
});

describe('checkReceiveDir', () => {
  it('accepts a writable folder and says at once what is wrong with a missing one or a file', async () => {
    expect(await checkReceiveDir({ dir: work, overwrite: false, maxFileSize: 1 })).toEqual({ ok: true, value: realpathSync(work) });
    const missing = await checkReceiveDir({ dir: join(work, 'nope'), overwrite: false, maxFileSize: 1 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_FILE', message: expect.stringContaining('cannot be used') } });
    writeFileSync(join(work, 'plain'), 'x');
    const file = await checkReceiveDir({ dir: join(work, 'plain'), overwrite: false, maxFileSize: 1 });
    expect(file).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_FILE', message: expect.stringContaining('not a folder') } });
  });
});

describe('the ZMODEM sender', () => {
  it('writes "rz" with its ZRQINIT, and each ZFILE and ZDATA header with its first subpacket', async () => {
    const data = randomBytes(5000);
    const path = join(work, 'coalesce.bin');
    writeFileSync(path, data);
    const inbox = mkdtempSync(join(work, 'in-'));
    const [sender, a] = duplexPair();
    const [b, receiver] = duplexPair();
    // Each chunk the sender writes, decoded on its own: what one write carried.
    const writes: string[][] = [];
    a.on('data', (chunk: Buffer) => {
      const seen: string[] = [];
      const reader = new ZmodemReader((e) => seen.push(e.kind === 'header' ? `header ${e.type}` : e.kind));
      reader.feed(chunk);
      writes.push(chunk.subarray(0, 3).toString('latin1') === 'rz\r' ? ['rz', ...seen] : seen);
      b.write(chunk);
    });
    b.on('data', (chunk: Buffer) => a.write(chunk));
    const [sent, received] = await Promise.all([
      sendFiles(sender, 'zmodem', [path]),
      receiveFiles(receiver, 'zmodem', { dir: inbox, overwrite: false, maxFileSize: 1 << 20 }),
    ]);
    expect(sent.ok && received.ok).toBe(true);
    expect(readFileSync(join(inbox, 'coalesce.bin')).equals(data)).toBe(true);
    expect(writes[0]).toEqual(['rz', `header ${ZFrame.ZRQINIT}`]);
    const zfile = writes.find((w) => w[0] === `header ${ZFrame.ZFILE}`);
    expect(zfile).toEqual([`header ${ZFrame.ZFILE}`, 'data']);
    const zdata = writes.find((w) => w[0] === `header ${ZFrame.ZDATA}`);
    expect(zdata?.slice(0, 2)).toEqual([`header ${ZFrame.ZDATA}`, 'data']);
  });
});

describe('a cancel', () => {
  it('returns only once its CANs have gone to the port (the port is closed next, which drops what is still queued)', async () => {
    const path = join(work, 'cancel.bin');
    writeFileSync(path, randomBytes(1000));
    // A slow port: each write takes 100 ms to leave; nobody answers.
    const left: Buffer[] = [];
    const port = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(() => {
          left.push(chunk);
          callback();
        }, 100);
      },
    });
    const stop = new AbortController();
    const sending = sendFiles(port, 'zmodem', [path], { signal: stop.signal });
    setTimeout(() => stop.abort(), 20);
    const result = await sending;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_STOPPED' } });
    expect(Buffer.concat(left).includes(Buffer.from([24, 24, 24, 24, 24, 24, 24, 24]))).toBe(true);
  });
});

describe('the X/YMODEM sender against a receiver that flushes its input after each answer', () => {
  // lrzsz's rb and rx write ACK or 'C' and then flush their input (TCFLSH), so on a pty a block
  // that arrives in between is lost, and the receiver waits for it in silence. This relay plays
  // that flush: it drops what the sender writes within FLUSH_WINDOW_MS of the receiver's last byte.
  const FLUSH_WINDOW_MS = 10;

  it('loses at most one block in a YMODEM batch: the once-per-file answers wait, and the data blocks start to after the first loss', async () => {
    const files = ['a.bin', 'b.bin', 'c.bin'].map((name, i) => {
      const data = randomBytes(6000 + i * 1000);
      writeFileSync(join(work, name), data);
      return { name, data };
    });
    const inbox = mkdtempSync(join(work, 'flush-'));
    const [sender, senderEnd] = duplexPair();
    const [receiverEnd, receiver] = duplexPair();
    let receiverSpokeAt = -Infinity;
    let dropped = 0;
    receiverEnd.on('data', (chunk: Buffer) => {
      receiverSpokeAt = performance.now();
      senderEnd.write(chunk);
    });
    senderEnd.on('data', (chunk: Buffer) => {
      if (performance.now() - receiverSpokeAt < FLUSH_WINDOW_MS) dropped++;
      else receiverEnd.write(chunk);
    });
    const retries: string[] = [];
    const [sent, received] = await Promise.all([
      // The sender gives up waiting long before the receiver does: its timeout is what finds the loss.
      sendFiles(sender, 'ymodem', files.map((f) => join(work, f.name)), { timeoutMs: 500, maxRetries: 3, onEvent: (e) => e.kind === 'retry' && retries.push(e.reason) }),
      receiveFiles(receiver, 'ymodem', { dir: inbox, overwrite: false, maxFileSize: 1 << 20 }, { timeoutMs: 5000 }),
    ]);
    expect(sent, JSON.stringify(sent)).toEqual({ ok: true, value: undefined });
    expect(received.ok, JSON.stringify(received)).toBe(true);
    for (const f of files) expect(readFileSync(join(inbox, f.name)).equals(f.data)).toBe(true);
    expect(dropped).toBe(1);
    expect(retries).toEqual([expect.stringContaining('from now on each block waits 20 ms')]);
  });
});
