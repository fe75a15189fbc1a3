/**
 * Hostile senders against our X/Y/ZMODEM receivers: unsafe names, sizes past the bound,
 * endless data, a command, garbage floods, out-of-step blocks, planted symlinks. Nothing may
 * be written outside the receive folder, nothing past --max-file-size, nothing run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveFiles } from '../../electron/main/modem/transfer.ts';
import type { ModemEvent } from '../../shared/modem/protocols.ts';
import { encodeBatchHeader, encodeBlock } from '../../shared/modem/xmodem.ts';
import {
  Escaper,
  ZCRCG,
  ZCRCW,
  ZFrame,
  encodeBinHeader,
  encodeFileInfo,
  encodeHexHeader,
  encodeSubpacket,
  flagsHeader,
  positionHeader,
} from '../../shared/modem/zmodem.ts';
import { duplexPair } from '../helpers/duplex.js';
import { waitFor } from '../helpers/wait.js';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'msp-modem-hostile-'));
  dir = join(root, 'inbox');
  mkdirSync(dir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Our receiver on one end; the attacker holds the other and sees what we send back. */
function receiver(protocol: 'zmodem' | 'ymodem' | 'xmodem', maxFileSize = 1 << 20, name?: string) {
  const [ours, attacker] = duplexPair();
  const fromUs: Buffer[] = [];
  attacker.on('data', (d: Buffer) => fromUs.push(d));
  const events: ModemEvent[] = [];
  const result = receiveFiles(ours, protocol, { dir, overwrite: false, maxFileSize }, { timeoutMs: 300, maxRetries: 2, onEvent: (e) => events.push(e) }, name);
  const heard = () => Buffer.concat(fromUs).toString('latin1');
  return { attacker, result, events, heard };
}

const esc = () => new Escaper(false);

function zfile(attacker: Duplex, name: string, size?: number) {
  const e = esc();
  attacker.write(encodeBinHeader(ZFrame.ZFILE, flagsHeader(1), true, e));
  const info = size === undefined ? new TextEncoder().encode(`${name}\u0000`) : encodeFileInfo(name, size, 0);
  attacker.write(encodeSubpacket(info, ZCRCW, true, e));
}

/** The hex ZRPOS / ZSKIP headers we send, as text. */
const zrpos = (at: number) => new TextDecoder('latin1').decode(encodeHexHeader(ZFrame.ZRPOS, positionHeader(at)));
const zskip = new TextDecoder('latin1').decode(encodeHexHeader(ZFrame.ZSKIP, [0, 0, 0, 0]));

function everythingUnder(path: string): string[] {
  return readdirSync(path, { recursive: true }) as string[];
}

describe('hostile ZMODEM senders', () => {
  it('a path in the name is refused (ZSKIP), nothing is written anywhere, and the batch goes on', async () => {
    const r = receiver('zmodem');
    zfile(r.attacker, '../../../tmp/evil.sh', 5);
    await waitFor(() => r.heard().includes(zskip), 'our ZSKIP');
    // The next file of the batch is taken as usual.
    zfile(r.attacker, 'good.txt', 5);
    await waitFor(() => r.heard().includes(zrpos(0)), 'our ZRPOS(0)');
    const e = esc();
    r.attacker.write(encodeBinHeader(ZFrame.ZDATA, positionHeader(0), true, e));
    r.attacker.write(encodeSubpacket(new TextEncoder().encode('hello'), 0x68, true, e));
    r.attacker.write(encodeBinHeader(ZFrame.ZEOF, positionHeader(5), true, e));
    r.attacker.write(encodeHexHeader(ZFrame.ZFIN, [0, 0, 0, 0]));
    const result = await r.result;
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(everythingUnder(root)).toEqual(['inbox', join('inbox', 'good.txt')]);
    expect(readFileSync(join(dir, 'good.txt'), 'utf8')).toBe('hello');
    expect(r.events.find((ev) => ev.kind === 'file-skipped')).toMatchObject({ name: '../../../tmp/evil.sh', reason: expect.stringMatching(/is a path/) });
  });

  it('a name that needs sanitising says what was offered and what changed', async () => {
    const r = receiver('zmodem');
    zfile(r.attacker, 'CON.txt', 2);
    await waitFor(() => r.heard().includes(zrpos(0)), 'our ZRPOS(0)');
    const e = esc();
    r.attacker.write(encodeBinHeader(ZFrame.ZDATA, positionHeader(0), true, e));
    r.attacker.write(encodeSubpacket(new TextEncoder().encode('hi'), 0x68, true, e));
    r.attacker.write(encodeBinHeader(ZFrame.ZEOF, positionHeader(2), true, e));
    r.attacker.write(encodeHexHeader(ZFrame.ZFIN, [0, 0, 0, 0]));
    expect((await r.result).ok).toBe(true);
    expect(everythingUnder(dir)).toEqual(['_CON.txt']);
    expect(r.events.find((ev) => ev.kind === 'file-done')).toMatchObject({ offered: 'CON.txt', changes: ['reserved-name'] });
  });

  it('a file said to be larger than --max-file-size is skipped (ZSKIP) and never created', async () => {
    const r = receiver('zmodem', 1000);
    zfile(r.attacker, 'big.bin', 10 ** 12);
    await waitFor(() => r.heard().includes(zskip), 'our ZSKIP');
    r.attacker.write(encodeHexHeader(ZFrame.ZFIN, [0, 0, 0, 0]));
    expect((await r.result).ok).toBe(true);
    expect(everythingUnder(dir)).toEqual([]);
    expect(r.events.find((ev) => ev.kind === 'file-skipped')).toMatchObject({ name: 'big.bin' });
  });

  it('endless data without a size stops at --max-file-size and deletes the part', async () => {
    const r = receiver('zmodem', 50_000);
    zfile(r.attacker, 'endless.bin');
    await waitFor(() => r.heard().includes(zrpos(0)), 'our ZRPOS(0)');
    const e = esc();
    r.attacker.write(encodeBinHeader(ZFrame.ZDATA, positionHeader(0), true, e));
    const chunk = encodeSubpacket(new Uint8Array(1024).fill(0x55), ZCRCG, true, e);
    for (let i = 0; i < 100; i++) r.attacker.write(chunk);
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_TOO_LARGE' } });
    expect(everythingUnder(dir)).toEqual([]);
  });

  it('refuses to run a command (ZCOMMAND) and ends the session', async () => {
    const r = receiver('zmodem');
    const e = esc();
    const marker = join(root, 'pwned');
    r.attacker.write(encodeBinHeader(ZFrame.ZCOMMAND, [0, 0, 0, 0], true, e));
    r.attacker.write(encodeSubpacket(new TextEncoder().encode(`touch ${marker}\u0000`), ZCRCW, true, e));
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_PROTOCOL' } });
    expect(existsSync(marker)).toBe(false);
    expect(r.heard()).toContain('\x18\x18\x18\x18\x18'); // we cancelled
  });

  it('a flood of garbage costs little and ends in a timeout, with nothing written', async () => {
    const r = receiver('zmodem');
    const junk = Buffer.alloc(2 << 20);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 1103515245 + 12345) >>> 16;
    // Sprinkle header starts so the reader keeps trying.
    for (let i = 0; i < junk.length; i += 97) junk.write('**\x18C', i, 'latin1');
    const start = performance.now();
    r.attacker.write(junk);
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_TIMEOUT' } });
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(everythingUnder(dir)).toEqual([]);
  });

  it('never follows a symbolic link planted at the .part name', async () => {
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'original');
    symlinkSync(outside, join(dir, 'x.bin.part'));
    const r = receiver('zmodem');
    zfile(r.attacker, 'x.bin', 3);
    await waitFor(() => r.heard().includes(zskip), 'our ZSKIP');
    r.attacker.write(encodeHexHeader(ZFrame.ZFIN, [0, 0, 0, 0]));
    await r.result;
    expect(readFileSync(outside, 'utf8')).toBe('original');
  });
});

describe('hostile X/YMODEM senders', () => {
  it('YMODEM: a reserved device name is renamed, a huge size refused', async () => {
    const r = receiver('ymodem', 1000);
    await waitFor(() => r.heard().includes('C'), "our 'C'");
    const header = encodeBatchHeader({ name: 'CON', size: 3 });
    r.attacker.write(encodeBlock(0, header.data, 128, 'crc', 0));
    await waitFor(() => r.heard().includes('\x06C'), 'ACK and C after block 0');
    r.attacker.write(encodeBlock(1, new TextEncoder().encode('abc'), 128, 'crc'));
    await waitFor(() => r.heard().split('\x06').length >= 3, 'ACK of block 1');
    r.attacker.write(Uint8Array.of(4));
    await waitFor(() => r.heard().includes('\x15'), 'NAK of the first EOT');
    r.attacker.write(Uint8Array.of(4));
    await waitFor(() => existsSync(join(dir, '_CON')), 'the file');
    expect(readFileSync(join(dir, '_CON'), 'utf8')).toBe('abc');
    const huge = encodeBatchHeader({ name: 'huge.bin', size: 10 ** 15 });
    r.attacker.write(encodeBlock(0, huge.data, 128, 'crc', 0));
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_TOO_LARGE' } });
    expect(everythingUnder(dir)).toEqual(['_CON']);
  });

  it('XMODEM: a block out of step ends the transfer with CAN', async () => {
    const r = receiver('xmodem', 1 << 20, 'x.bin');
    await waitFor(() => r.heard().includes('C'), "our 'C'");
    r.attacker.write(encodeBlock(1, new Uint8Array(128), 128, 'crc'));
    await waitFor(() => r.heard().includes('\x06'), 'ACK of block 1');
    r.attacker.write(encodeBlock(200, new Uint8Array(128), 128, 'crc'));
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_PROTOCOL' } });
    expect(r.heard()).toContain('\x18\x18');
    // The part stays (a partial file never looks finished), the final name does not exist.
    expect(existsSync(join(dir, 'x.bin'))).toBe(false);
  });

  it('XMODEM: blocks past --max-file-size end the transfer at the next block or EOT (a block is written while its ACK goes out) and delete the part', async () => {
    const r = receiver('xmodem', 200, 'big.bin');
    await waitFor(() => r.heard().includes('C'), "our 'C'");
    r.attacker.write(encodeBlock(1, new Uint8Array(128).fill(1), 128, 'crc'));
    await waitFor(() => r.heard().split('\x06').length >= 2, 'ACK of block 1');
    // 256 bytes > 200: this write fails, after its ACK may have gone.
    r.attacker.write(encodeBlock(2, new Uint8Array(128).fill(2), 128, 'crc'));
    await waitFor(() => r.heard().split('\x06').length >= 3, 'ACK of block 2');
    r.attacker.write(Uint8Array.of(4));
    const result = await r.result;
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEM_ERR_TOO_LARGE' } });
    // EOT is not ACKed: the sender does not hear that the file arrived.
    expect(r.heard().split('\x06').length).toBe(3);
    expect(everythingUnder(dir).filter((f) => f.startsWith('big'))).toEqual([]);
  });

  it('XMODEM: never overwrites an existing file without --overwrite', async () => {
    writeFileSync(join(dir, 'x.bin'), 'keep me');
    const r = receiver('xmodem', 1 << 20, 'x.bin');
    await waitFor(() => r.heard().includes('C'), "our 'C'");
    r.attacker.write(encodeBlock(1, new TextEncoder().encode('new'), 128, 'crc'));
    await waitFor(() => r.heard().includes('\x06'), 'ACK of block 1');
    r.attacker.write(Uint8Array.of(4));
    expect((await r.result).ok).toBe(true);
    expect(readFileSync(join(dir, 'x.bin'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(dir, 'x (1).bin')).subarray(0, 3).toString()).toBe('new');
  });
});
