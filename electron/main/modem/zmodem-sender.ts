/**
 * ZMODEM sender. After ZRQINIT/ZRINIT each file is offered with ZFILE; the receiver answers
 * ZRPOS with where to start (0, or further to resume) or ZSKIP. Data streams in subpackets
 * inside one ZDATA frame; every quarter window a subpacket asks for a ZACK (ZCRCQ), and no
 * more than the window goes unacknowledged, so after an error (the receiver's ZRPOS) little
 * is sent in vain. The window halves at each error or silence and grows back by a subpacket per ZACK
 * once CLEAN_RUN bytes have gone through without one (a noisy line keeps a small window, a
 * clean one gets the full window). ZRPOS rewinds to the position it names; silence rewinds to the
 * last acknowledged position. ZEOF ends a file, ZFIN the session ("OO": over and out).
 */
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import {
  CANFC32,
  ESCCTL,
  Escaper,
  ZCRCE,
  ZCRCG,
  ZCRCQ,
  ZCRCW,
  ZFrame,
  encodeBinHeader,
  encodeFileInfo,
  encodeHexHeader,
  encodeSubpacket,
  flagsHeader,
  headerPosition,
  positionHeader,
} from '../../../shared/modem/zmodem.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { ModemLine } from './line.ts';
import type { SourceFile } from './source-file.ts';
import type { TransferOptions } from './transfer-options.ts';
import { ZmodemChannel, type ChannelEvent } from './zmodem-channel.ts';
import { channelError, sendZmodemCancel } from './zmodem-common.ts';

export interface ZmodemSendOptions extends TransferOptions {
  /** Bytes per subpacket (at most 1024 for old receivers). */
  subpacketSize?: number;
  /** Unacknowledged bytes allowed in flight. */
  window?: number;
}

const ZCBIN = 1; // ZFILE ZF0: binary, no conversion

/**
 * Unacknowledged bytes in flight on a serial line: a transfer starts with START_WINDOW, enough
 * to keep the line busy through the round trip of a ZACK and the serial driver's buffers
 * (115200 baud with 5 ms each way needs a few KiB) and small enough that an early error wastes
 * little, and a clean line grows it to DEFAULT_WINDOW, so that a ZACK held up for a second or
 * two (a busy receiver or machine; lrzsz's sz waits for none) does not leave the line idle.
 * Fast links (TCP) pass their own window and start with all of it.
 */
export const DEFAULT_WINDOW = 32 * 1024;
const START_WINDOW = 8 * 1024;
/** Bytes without an error before a shrunk window grows again. */
const CLEAN_RUN = 32 * 1024;

export async function sendZmodem(line: ModemLine, files: SourceFile[], options: ZmodemSendOptions): Promise<Result<void, ModemError>> {
  const channel = new ZmodemChannel(line);
  const result = await new ZmodemSender(channel, options).run(files);
  if (!result.ok && result.error.code !== 'MODEM_ERR_CANCELLED' && result.error.code !== 'MODEM_ERR_CLOSED') await sendZmodemCancel(line);
  return result;
}

class ZmodemSender {
  private escaper = new Escaper(false);
  private crc32 = false;
  private readonly subpacketSize: number;
  /** Unacknowledged bytes allowed now, between minWindow and maxWindow. */
  private window: number;
  private maxWindow: number;
  private readonly minWindow: number;
  /** Where the last error (a ZRPOS backwards) was: the window grows only well past it. */
  private lastErrorAt = -Infinity;
  /** Frames that go out with the next write (a ZDATA header with its first subpacket). */
  private pending: Uint8Array[] = [];

  constructor(
    private readonly channel: ZmodemChannel,
    private readonly options: ZmodemSendOptions,
  ) {
    this.subpacketSize = Math.min(1024, Math.max(32, options.subpacketSize ?? 1024));
    this.minWindow = this.subpacketSize * 2;
    this.maxWindow = Math.max(this.minWindow, options.window ?? DEFAULT_WINDOW);
    this.window = options.window !== undefined ? this.maxWindow : Math.min(this.maxWindow, Math.max(this.minWindow, START_WINDOW));
  }

  private get ackEvery(): number {
    return Math.max(this.subpacketSize, Math.floor(this.window / 4));
  }

  async run(files: SourceFile[]): Promise<Result<void, ModemError>> {
    const started = await this.handshake();
    if (!started.ok) return started;
    for (let i = 0; i < files.length; i++) {
      const remaining = files.slice(i).reduce((sum, f) => sum + f.size, 0);
      const sent = await this.sendFile(files[i]!, files.length - i, remaining);
      if (!sent.ok) return sent;
    }
    return this.finish();
  }

  /**
   * Writes whatever is pending and `frames` as one write: each write is a trip through the
   * serial driver (libuv's thread pool), and a header sent alone leaves the line idle until
   * the subpacket that belongs to it follows.
   */
  private send(...frames: Uint8Array[]): Promise<void> {
    const all = this.pending.length > 0 ? [...this.pending.splice(0), ...frames] : frames;
    return this.channel.write(all.length === 1 ? all[0]! : Buffer.concat(all));
  }

  private hex(type: number, p: number[]): Promise<void> {
    return this.send(encodeHexHeader(type, p));
  }

  private binHeader(type: number, p: number[]): Uint8Array {
    return encodeBinHeader(type, p, this.crc32, this.escaper);
  }

  /** "rz\r" starts a receiver on a Unix shell; ZRQINIT until the receiver's ZRINIT says what it can do. */
  private async handshake(): Promise<Result<void, ModemError>> {
    this.pending.push(new TextEncoder().encode('rz\r'));
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      await this.hex(ZFrame.ZRQINIT, [0, 0, 0, 0]);
      const deadline = performance.now() + this.options.timeoutMs;
      for (;;) {
        const event = await this.channel.next(deadline - performance.now());
        if (event.kind === 'timeout') break;
        if (event.kind !== 'header') {
          if (event.kind === 'error') continue;
          return fail(channelError(event, 'the ZRINIT'));
        }
        if (event.type === ZFrame.ZRINIT) {
          const zf0 = event.p[3]!;
          this.crc32 = (zf0 & CANFC32) !== 0;
          this.escaper = new Escaper((zf0 & ESCCTL) !== 0);
          const buffer = event.p[0]! | (event.p[1]! << 8);
          // A receiver with a small buffer gets no more than that at once.
          if (buffer > 0) {
            this.maxWindow = Math.max(this.subpacketSize, Math.min(this.maxWindow, buffer));
            this.window = Math.min(this.window, this.maxWindow);
          }
          return ok(undefined);
        }
        if (event.type === ZFrame.ZCHALLENGE) await this.hex(ZFrame.ZACK, event.p);
        else if (event.type === ZFrame.ZABORT || event.type === ZFrame.ZCAN) return fail(cancelled());
      }
    }
    return fail(modemError('MODEM_ERR_TIMEOUT', 'No ZMODEM receiver answered (no ZRINIT). Is `rz` or a receiving terminal running on the other end?'));
  }

  private async sendFile(file: SourceFile, filesLeft: number, bytesLeft: number): Promise<Result<void, ModemError>> {
    const info = encodeFileInfo(file.name, file.size, file.mtimeSeconds, filesLeft, bytesLeft);
    // While the receiver decides, read the file's start (where it usually asks us to begin):
    // the first subpacket then follows its ZRPOS without waiting for the disk.
    const reading = file.read(0, this.subpacketSize).catch(() => undefined);
    let start: number | undefined;
    for (let attempt = 0; attempt <= this.options.maxRetries && start === undefined; attempt++) {
      await this.send(this.binHeader(ZFrame.ZFILE, flagsHeader(ZCBIN)), encodeSubpacket(info, ZCRCW, this.crc32, this.escaper));
      const deadline = performance.now() + this.options.timeoutMs;
      for (;;) {
        const event = await this.channel.next(deadline - performance.now());
        if (event.kind === 'timeout') break;
        if (event.kind === 'error' || event.kind === 'data') continue;
        if (event.kind !== 'header') return fail(channelError(event, `the answer to ${file.name}'s offer`));
        if (event.type === ZFrame.ZRPOS) {
          start = headerPosition(event.p);
          break;
        }
        if (event.type === ZFrame.ZSKIP) {
          this.options.onEvent?.({ kind: 'file-skipped', name: file.name, reason: 'the receiver skipped it' });
          return ok(undefined);
        }
        if (event.type === ZFrame.ZABORT || event.type === ZFrame.ZCAN || event.type === ZFrame.ZFERR) return fail(cancelled());
        // ZNAK: the offer arrived garbled; offer again. (A ZRINIT here is the receiver's answer
        // to our ZRQINIT repeated: offering again would only make it answer twice.)
        if (event.type === ZFrame.ZNAK) break;
      }
    }
    if (start === undefined) return fail(modemError('MODEM_ERR_TIMEOUT', `The receiver did not answer the offer of ${file.name}.`));
    if (start > file.size) return fail(modemError('MODEM_ERR_PROTOCOL', `The receiver asked to start ${file.name} at ${start}, past its end (${file.size}).`));
    await reading;
    this.options.onEvent?.({ kind: 'file-start', name: file.name, size: file.size, offset: start });
    return this.stream(file, start);
  }

  /** Streams the file from `position` until the receiver confirms the end (ZRINIT after our ZEOF). */
  private async stream(file: SourceFile, position: number): Promise<Result<void, ModemError>> {
    let acked = position;
    let lastAckRequest = position;
    let stalls = 0;
    let progressAt = position;
    // The ZDATA header goes out with the first subpacket after it (or the ZEOF).
    const rewind = async (to: number, reason: string) => {
      position = to;
      acked = to;
      lastAckRequest = to;
      this.options.onEvent?.({ kind: 'retry', at: to, reason });
      this.pending.push(this.binHeader(ZFrame.ZDATA, positionHeader(to)));
    };
    this.pending.push(this.binHeader(ZFrame.ZDATA, positionHeader(position)));
    for (;;) {
      // What the receiver said meanwhile.
      for (const event of this.channel.poll()) {
        const handled = await this.onStreamEvent(event, file, position, (to, why) => rewind(to, why), (at) => (acked = Math.max(acked, Math.min(at, position))));
        if (!handled.ok) return handled;
      }
      if (position >= file.size) {
        const ended = await this.endFile(file, position, rewind);
        if (!ended.ok) return ended;
        if (ended.value === 'done') return ok(undefined);
        position = ended.value;
        continue;
      }
      if (position - acked >= this.window) {
        // The window is full: wait for a ZACK or ZRPOS; silence means our data or its ACKs were lost.
        const event = await this.channel.next(this.options.timeoutMs);
        if (event.kind === 'timeout') {
          if (++stalls > this.options.maxRetries) return fail(modemError('MODEM_ERR_TIMEOUT', `The receiver stopped acknowledging ${file.name}.`));
          this.pending.push(encodeSubpacket(new Uint8Array(0), ZCRCE, this.crc32, this.escaper));
          // Silence is trouble too (a cut line, a stuck receiver): resend less at a time.
          this.window = Math.max(this.minWindow, Math.floor(this.window / 2));
          this.lastErrorAt = acked;
          await rewind(acked, 'no acknowledgement in time');
          continue;
        }
        const handled = await this.onStreamEvent(event, file, position, (to, why) => rewind(to, why), (at) => (acked = Math.max(acked, Math.min(at, position))));
        if (!handled.ok) return handled;
        continue;
      }
      const data = await file.read(position, this.subpacketSize);
      if (data.length === 0) return fail(modemError('MODEM_ERR_FILE', `${file.name} got shorter while it was being sent.`));
      const next = position + data.length;
      let end = ZCRCG;
      if (next >= file.size) end = ZCRCE;
      else if (next - lastAckRequest >= this.ackEvery) end = ZCRCQ;
      if (end === ZCRCQ) lastAckRequest = next;
      await this.send(encodeSubpacket(data, end, this.crc32, this.escaper));
      position = next;
      if (position > progressAt) {
        progressAt = position;
        stalls = 0;
      }
      this.options.onEvent?.({ kind: 'progress', name: file.name, bytes: position, size: file.size });
    }
  }

  /** ZACK moves the window; ZRPOS rewinds; anything else that ends the session ends it. */
  private async onStreamEvent(
    event: ChannelEvent,
    file: SourceFile,
    position: number,
    rewind: (to: number, why: string) => Promise<void>,
    ack: (at: number) => void,
  ): Promise<Result<void, ModemError>> {
    if (event.kind === 'error' || event.kind === 'data' || event.kind === 'timeout') return ok(undefined);
    if (event.kind !== 'header') return fail(channelError(event, `the acknowledgements of ${file.name}`));
    switch (event.type) {
      case ZFrame.ZACK:
        ack(headerPosition(event.p));
        if (headerPosition(event.p) - this.lastErrorAt > CLEAN_RUN) this.window = Math.min(this.maxWindow, this.window + this.subpacketSize);
        return ok(undefined);
      case ZFrame.ZRPOS: {
        const to = headerPosition(event.p);
        if (to > file.size) return fail(modemError('MODEM_ERR_PROTOCOL', `The receiver asked for ${file.name} at ${to}, past its end (${file.size}).`));
        // A ZDATA header only makes sense after the current subpacket is ended.
        this.pending.push(encodeSubpacket(new Uint8Array(0), ZCRCE, this.crc32, this.escaper));
        if (position > to) {
          this.window = Math.max(this.minWindow, Math.floor(this.window / 2));
          this.lastErrorAt = to;
        }
        await rewind(to, position > to ? `resend from ${to}` : `continue at ${to}`);
        return ok(undefined);
      }
      case ZFrame.ZSKIP:
      case ZFrame.ZABORT:
      case ZFrame.ZCAN:
      case ZFrame.ZFERR:
        return fail(cancelled());
      default:
        return ok(undefined);
    }
  }

  /** ZEOF until ZRINIT ('done'), or the position a ZRPOS asks for. */
  private async endFile(file: SourceFile, position: number, rewind: (to: number, why: string) => Promise<void>): Promise<Result<'done' | number, ModemError>> {
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      await this.send(this.binHeader(ZFrame.ZEOF, positionHeader(file.size)));
      const deadline = performance.now() + this.options.timeoutMs;
      for (;;) {
        const event = await this.channel.next(deadline - performance.now());
        if (event.kind === 'timeout') break;
        if (event.kind === 'error' || event.kind === 'data') continue;
        if (event.kind !== 'header') return fail(channelError(event, `the end of ${file.name}`));
        if (event.type === ZFrame.ZRINIT) {
          this.options.onEvent?.({ kind: 'file-done', name: file.name, bytes: file.size });
          return ok('done');
        }
        if (event.type === ZFrame.ZRPOS) {
          const to = headerPosition(event.p);
          if (to > file.size) return fail(modemError('MODEM_ERR_PROTOCOL', `The receiver asked for ${file.name} at ${to}, past its end.`));
          await rewind(to, `resend from ${to}`);
          return ok(to);
        }
        if (event.type === ZFrame.ZSKIP || event.type === ZFrame.ZABORT || event.type === ZFrame.ZCAN || event.type === ZFrame.ZFERR) return fail(cancelled());
      }
    }
    return fail(modemError('MODEM_ERR_TIMEOUT', `The receiver did not confirm the end of ${file.name}.`));
  }

  /** ZFIN both ways, then "OO". */
  private async finish(): Promise<Result<void, ModemError>> {
    for (let attempt = 0; attempt <= Math.min(3, this.options.maxRetries); attempt++) {
      await this.hex(ZFrame.ZFIN, [0, 0, 0, 0]);
      const deadline = performance.now() + this.options.timeoutMs;
      for (;;) {
        const event = await this.channel.next(deadline - performance.now());
        if (event.kind === 'timeout') break;
        if (event.kind === 'header' && event.type === ZFrame.ZFIN) {
          await this.send(new TextEncoder().encode('OO'));
          return ok(undefined);
        }
        if (event.kind === 'closed' || event.kind === 'stopped' || event.kind === 'cancel') return fail(channelError(event, 'the ZFIN'));
      }
    }
    // Every file was confirmed; a lost ZFIN costs nothing.
    return ok(undefined);
  }
}

function cancelled(): ModemError {
  return modemError('MODEM_ERR_CANCELLED', 'The receiver cancelled the transfer.');
}

