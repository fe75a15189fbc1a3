/**
 * ZMODEM wire layouts (Chuck Forsberg's 1988 protocol, as lrzsz speaks it): frame types,
 * headers (hex, binary with CRC-16, binary with CRC-32), ZDLE escaping, data subpackets,
 * and a byte-at-a-time reader that turns a hostile stream into events. The sender and
 * receiver state machines are in electron/main/modem/.
 *
 * Header: type + 4 bytes. For a position (ZRPOS, ZDATA, ZEOF, ZACK) the 4 bytes are the
 * offset, least significant first; for flags (ZRINIT, ZFILE) ZF0 is the last byte.
 */
import { CRC32_START, crc32Byte, crc32Final } from '../checksums/crc32.ts';
import { crc16, crc16Byte } from './crc.ts';

export const ZPAD = 0x2a; // '*'
export const ZDLE = 0x18; // also CAN: five in a row cancel a session
export const ZBIN = 0x41; // 'A': binary header, CRC-16
export const ZHEX = 0x42; // 'B': hex header, CRC-16
export const ZBIN32 = 0x43; // 'C': binary header, CRC-32

export const ZFrame = {
  ZRQINIT: 0,
  ZRINIT: 1,
  ZSINIT: 2,
  ZACK: 3,
  ZFILE: 4,
  ZSKIP: 5,
  ZNAK: 6,
  ZABORT: 7,
  ZFIN: 8,
  ZRPOS: 9,
  ZDATA: 10,
  ZEOF: 11,
  ZFERR: 12,
  ZCRC: 13,
  ZCHALLENGE: 14,
  ZCOMPL: 15,
  ZCAN: 16,
  ZFREECNT: 17,
  ZCOMMAND: 18,
  ZSTDERR: 19,
} as const;

/** How a data subpacket ends: what the receiver does next. */
export const ZCRCE = 0x68; // 'h': end of frame, header follows, no ack
export const ZCRCG = 0x69; // 'i': more data follows, no ack (streaming)
export const ZCRCQ = 0x6a; // 'j': more data follows, ack with ZACK
export const ZCRCW = 0x6b; // 'k': end of frame, ack with ZACK (and wait)
const ZRUB0 = 0x6c; // escaped 0x7f
const ZRUB1 = 0x6d; // escaped 0xff

/** ZRINIT's ZF0 capability bits. */
export const CANFDX = 0x01; // full duplex
export const CANOVIO = 0x02; // can receive while writing to disk
export const CANFC32 = 0x20; // can use 32-bit CRC
export const ESCCTL = 0x40; // wants every control character escaped

/** Frames whose header is followed by data subpackets. */
const FRAMES_WITH_DATA = new Set<number>([ZFrame.ZSINIT, ZFrame.ZFILE, ZFrame.ZDATA, ZFrame.ZCOMMAND]);

/** The longest subpacket the reader accepts (lrzsz sends at most 1024; 8192 is the protocol's limit). */
export const MAX_SUBPACKET = 8192;

/** ZF0..ZF3 are the header's bytes 3..0. */
export function flagsHeader(zf0: number, zf1 = 0, zf2 = 0, zf3 = 0): number[] {
  return [zf3 & 0xff, zf2 & 0xff, zf1 & 0xff, zf0 & 0xff];
}

export function positionHeader(position: number): number[] {
  return [position & 0xff, (position >>> 8) & 0xff, (position >>> 16) & 0xff, (position >>> 24) & 0xff];
}

export function headerPosition(p: readonly number[]): number {
  return (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
}

const HEX = '0123456789abcdef';

/** A hex header: readable, CRC-16, ended with CR LF (and XON, except after ZACK and ZFIN). */
export function encodeHexHeader(type: number, p: readonly number[]): Uint8Array {
  const bytes = Uint8Array.from([type, ...p]);
  const crc = crc16(bytes);
  const all = [...bytes, crc >>> 8, crc & 0xff];
  let text = '';
  for (const b of all) text += HEX[b >>> 4]! + HEX[b & 0x0f]!;
  const out = [ZPAD, ZPAD, ZDLE, ZHEX, ...Array.from(text, (c) => c.charCodeAt(0)), 0x0d, 0x8a];
  if (type !== ZFrame.ZACK && type !== ZFrame.ZFIN) out.push(0x11);
  return Uint8Array.from(out);
}

/**
 * ZDLE escaping. Always escaped: ZDLE, DLE, XON, XOFF (and their 8th-bit forms), and CR
 * after '@' (the Telenet escape); with `escapeControl` (the receiver's ESCCTL) every
 * control character. Escaped as ZDLE, byte ^ 0x40.
 */
export class Escaper {
  private readonly table = new Uint8Array(256); // 0: as is, 1: escape, 2: escape after '@'
  private last = 0;

  constructor(escapeControl = false) {
    for (const b of [ZDLE, 0x10, 0x11, 0x13, 0x90, 0x91, 0x93]) this.table[b] = 1;
    this.table[0x0d] = this.table[0x8d] = 2;
    if (escapeControl) for (let b = 0; b < 256; b++) if ((b & 0x60) === 0) this.table[b] = 1;
  }

  /** Writes `bytes` escaped into `out` at `at`; returns the new end. `out` needs 2 bytes of room per byte. */
  escapeInto(bytes: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
    const table = this.table;
    let last = this.last;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      const kind = table[b]!;
      if (kind === 1 || (kind === 2 && (last & 0x7f) === 0x40)) {
        out[at++] = ZDLE;
        last = out[at++] = b ^ 0x40;
      } else last = out[at++] = b;
    }
    this.last = last;
    return at;
  }

  escapeByte(b: number, out: Uint8Array, at: number): number {
    const kind = this.table[b]!;
    if (kind === 1 || (kind === 2 && (this.last & 0x7f) === 0x40)) {
      out[at++] = ZDLE;
      this.last = out[at++] = b ^ 0x40;
    } else this.last = out[at++] = b;
    return at;
  }
}

/** A binary header, CRC-16 or CRC-32. */
export function encodeBinHeader(type: number, p: readonly number[], crc32: boolean, escaper: Escaper): Uint8Array {
  const bytes = Uint8Array.from([type, ...p]);
  const out = new Uint8Array(3 + 2 * 9);
  out[0] = ZPAD;
  out[1] = ZDLE;
  out[2] = crc32 ? ZBIN32 : ZBIN;
  let at = escaper.escapeInto(bytes, 0, 5, out, 3);
  if (crc32) {
    let crc = CRC32_START;
    for (const b of bytes) crc = crc32Byte(crc, b);
    crc = crc32Final(crc);
    for (let i = 0; i < 4; i++) at = escaper.escapeByte((crc >>> (8 * i)) & 0xff, out, at);
  } else {
    const crc = crc16(bytes);
    at = escaper.escapeByte(crc >>> 8, out, at);
    at = escaper.escapeByte(crc & 0xff, out, at);
  }
  return out.subarray(0, at);
}

/** A data subpacket: escaped data, ZDLE + end, then the CRC of data + end (escaped). */
export function encodeSubpacket(data: Uint8Array, end: number, crc32: boolean, escaper: Escaper): Uint8Array {
  const out = new Uint8Array(2 * data.length + 2 + 8);
  let at = escaper.escapeInto(data, 0, data.length, out, 0);
  out[at++] = ZDLE;
  out[at++] = end;
  if (crc32) {
    let crc = CRC32_START;
    for (let i = 0; i < data.length; i++) crc = crc32Byte(crc, data[i]!);
    crc = crc32Final(crc32Byte(crc, end));
    for (let i = 0; i < 4; i++) at = escaper.escapeByte((crc >>> (8 * i)) & 0xff, out, at);
  } else {
    const crc = crc16Byte(crc16(data), end);
    at = escaper.escapeByte(crc >>> 8, out, at);
    at = escaper.escapeByte(crc & 0xff, out, at);
  }
  return out.subarray(0, at);
}

export type HeaderEncoding = 'hex' | 'bin16' | 'bin32';

export type ZmodemEvent =
  | { kind: 'header'; type: number; p: number[]; encoding: HeaderEncoding }
  | { kind: 'data'; data: Uint8Array; end: number }
  /** A header or subpacket that failed its CRC or was malformed: ask for a resend. */
  | { kind: 'error'; what: 'header' | 'data' }
  /** Five CANs: the peer cancelled. */
  | { kind: 'cancel' };

const enum State {
  Hunt,
  Pad,
  PadZdle,
  Header,
  Data,
  DataCrc,
}

const XON = 0x11;
const XOFF = 0x13;

function isFlowControl(b: number): boolean {
  return (b & 0x7f) === XON || (b & 0x7f) === XOFF;
}

function hexValue(c: number): number {
  c &= 0x7f;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * Turns received bytes into headers, subpackets, errors and cancels. Every byte costs O(1)
 * and memory is bounded by MAX_SUBPACKET: junk is skipped, never stored.
 */
export class ZmodemReader {
  /** Bytes skipped while looking for a header (garbage, or data after an error). */
  skipped = 0;
  private state = State.Hunt;
  private cans = 0;
  private encoding: HeaderEncoding = 'hex';
  /** Header: decoded bytes (or hex digits) so far. */
  private header = new Uint8Array(9);
  private headerLength = 0;
  private hexNibbles: number[] = [];
  private escaped = false;
  /** Data subpackets follow the last header; with CRC-32 if it was bin32. */
  private dataCrc32 = false;
  private data = new Uint8Array(MAX_SUBPACKET);
  private dataLength = 0;
  private end = 0;
  private crcBytes = new Uint8Array(4);
  private crcLength = 0;

  constructor(private readonly emit: (event: ZmodemEvent) => void) {}

  /** Forget any frame in progress and hunt for the next header (after we asked for a resend). */
  hunt(): void {
    this.state = State.Hunt;
    this.escaped = false;
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]!);
  }

  private byte(b: number): void {
    if (b === ZDLE) {
      if (++this.cans >= 5) {
        this.cans = 0;
        this.state = State.Hunt;
        this.emit({ kind: 'cancel' });
        return;
      }
    } else this.cans = 0;
    switch (this.state) {
      case State.Hunt:
        if (b === ZPAD) this.state = State.Pad;
        else this.skipped++;
        return;
      case State.Pad:
        if (b === ZDLE) this.state = State.PadZdle;
        else if (b !== ZPAD) {
          this.skipped++;
          this.state = State.Hunt;
        }
        return;
      case State.PadZdle:
        if (b === ZBIN || b === ZHEX || b === ZBIN32) {
          this.encoding = b === ZBIN ? 'bin16' : b === ZHEX ? 'hex' : 'bin32';
          this.headerLength = 0;
          this.hexNibbles = [];
          this.escaped = false;
          this.state = State.Header;
        } else if (!isFlowControl(b)) {
          this.skipped++;
          this.state = b === ZPAD ? State.Pad : State.Hunt;
        }
        return;
      case State.Header:
        return this.headerByte(b);
      case State.Data:
      case State.DataCrc:
        return this.dataByte(b);
    }
  }

  private headerByte(b: number): void {
    if (this.encoding === 'hex') {
      const v = hexValue(b);
      if (v < 0) return this.fail('header');
      this.hexNibbles.push(v);
      if (this.hexNibbles.length === 14) {
        for (let i = 0; i < 7; i++) this.header[i] = (this.hexNibbles[2 * i]! << 4) | this.hexNibbles[2 * i + 1]!;
        this.headerLength = 7;
        this.finishHeader();
      }
      return;
    }
    const decoded = this.unescape(b);
    if (decoded === -1) return; // ZDLE: the next byte says
    if (decoded === -2) return this.fail('header');
    if (decoded >= 0x100) return this.fail('header'); // a subpacket end inside a header
    this.header[this.headerLength++] = decoded;
    if (this.headerLength === (this.encoding === 'bin32' ? 9 : 7)) this.finishHeader();
  }

  private finishHeader(): void {
    const h = this.header;
    let good: boolean;
    if (this.encoding === 'bin32') {
      let crc = CRC32_START;
      for (let i = 0; i < 5; i++) crc = crc32Byte(crc, h[i]!);
      crc = crc32Final(crc);
      good = crc === ((h[5]! | (h[6]! << 8) | (h[7]! << 16) | (h[8]! << 24)) >>> 0);
    } else {
      const crc = crc16(h, 0, 5);
      good = crc === ((h[5]! << 8) | h[6]!);
    }
    if (!good) return this.fail('header');
    const type = h[0]!;
    this.state = State.Hunt;
    if (FRAMES_WITH_DATA.has(type)) {
      this.dataCrc32 = this.encoding === 'bin32';
      this.startSubpacket();
    }
    this.emit({ kind: 'header', type, p: [h[1]!, h[2]!, h[3]!, h[4]!], encoding: this.encoding });
  }

  private startSubpacket(): void {
    this.state = State.Data;
    this.dataLength = 0;
    this.crcLength = 0;
    this.escaped = false;
  }

  /** A decoded byte; -1 after ZDLE (wait for the next); -2 for a bad escape; 0x100 + end for a subpacket end. */
  private unescape(b: number): number {
    if (!this.escaped) {
      if (b === ZDLE) {
        this.escaped = true;
        return -1;
      }
      if (isFlowControl(b)) return -1; // raw XON/XOFF are flow control, never data
      return b;
    }
    if (isFlowControl(b)) return -1;
    this.escaped = false;
    if (b >= ZCRCE && b <= ZCRCW) return 0x100 + b;
    if (b === ZRUB0) return 0x7f;
    if (b === ZRUB1) return 0xff;
    if ((b & 0x60) === 0x40) return b ^ 0x40;
    return -2;
  }

  private dataByte(b: number): void {
    const decoded = this.unescape(b);
    if (decoded === -1) return;
    if (decoded === -2) return this.fail('data');
    if (this.state === State.Data) {
      if (decoded >= 0x100) {
        this.end = decoded - 0x100;
        this.state = State.DataCrc;
        return;
      }
      if (this.dataLength >= MAX_SUBPACKET) return this.fail('data');
      this.data[this.dataLength++] = decoded;
      return;
    }
    if (decoded >= 0x100) return this.fail('data');
    this.crcBytes[this.crcLength++] = decoded;
    if (this.crcLength < (this.dataCrc32 ? 4 : 2)) return;
    const c = this.crcBytes;
    let good: boolean;
    if (this.dataCrc32) {
      let crc = CRC32_START;
      const d = this.data;
      for (let i = 0; i < this.dataLength; i++) crc = crc32Byte(crc, d[i]!);
      crc = crc32Final(crc32Byte(crc, this.end));
      good = crc === ((c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24)) >>> 0);
    } else good = crc16Byte(crc16(this.data, 0, this.dataLength), this.end) === ((c[0]! << 8) | c[1]!);
    if (!good) return this.fail('data');
    const data = this.data.slice(0, this.dataLength);
    const end = this.end;
    if (end === ZCRCG || end === ZCRCQ) this.startSubpacket();
    else this.state = State.Hunt;
    this.emit({ kind: 'data', data, end });
  }

  private fail(what: 'header' | 'data'): void {
    this.state = State.Hunt;
    this.escaped = false;
    this.emit({ kind: 'error', what });
  }
}

/** ZFILE's subpacket: "name\0size mtime(octal) mode(octal) 0 filesleft bytesleft\0". */
export function encodeFileInfo(name: string, size: number, mtimeSeconds: number, filesLeft = 1, bytesLeft = size): Uint8Array {
  const enc = new TextEncoder();
  const n = enc.encode(name);
  const meta = enc.encode(`${size} ${Math.max(0, Math.floor(mtimeSeconds)).toString(8)} 100644 0 ${filesLeft} ${bytesLeft}`);
  const out = new Uint8Array(n.length + 1 + meta.length + 1);
  out.set(n, 0);
  out.set(meta, n.length + 1);
  return out;
}
