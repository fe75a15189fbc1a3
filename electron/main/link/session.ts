/**
 * One MSP conversation over one byte stream (a TCP socket or a serial port): it owns
 * the decoder, answers DATA with ACK when asked to, pairs our DATA with the peer's ACK,
 * and runs the frame timer. Plain Node: the CLI, the app and the tests all use it.
 */
import type { Duplex } from 'node:stream';
import {
  MspDecoder,
  PacketType,
  VERSION_PLAIN,
  encodePacket,
  packetEvent,
  type DecodeEvent,
  type DecodeHandler,
  type FrameErrorCode,
  type Packet,
} from '../../../shared/msp/index.ts';
import { ACK_PAYLOAD, ackRunsFor, type AckRuns } from './ack-runs.ts';
import { legacyDecrypt, legacyEncrypt } from './crypto/legacy.ts';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';

export { ACK_PAYLOAD };

export type Security = { mode: 'none' } | { mode: 'legacy'; key: Uint8Array };

export interface SessionOptions {
  /** "127.0.0.1:50123" or "/dev/ttyUSB0": shown in logs and errors. */
  peer: string;
  /** Answer DATA and ENCRYPTED_DATA with ACK "OK", as the original server does. */
  autoAck: boolean;
  /** VERSION byte of what we send: 1 like msp.py, 2 like msp-secure.py. */
  version?: number;
  security?: Security;
  maxPacketSize?: number;
  /** How long our DATA waits for its ACK (ms). */
  ackTimeoutMs?: number;
  /** A frame still incomplete after this long is given up (ms); 0 turns it off. */
  frameTimeoutMs?: number;
  /** What a frame timeout does: close the link (TCP server) or just resync (serial line). */
  onFrameTimeout?: 'close' | 'resync';
  /** Bytes we may queue for a peer that does not read before we drop it. */
  maxQueuedBytes?: number;
  /** Receives events: closes and timeouts, and each packet unless `traffic` is false. */
  observer?: (event: SessionEvent) => void;
  /** false: no per-packet events for received packets and auto-ACKs (a quiet, fast responder). */
  traffic?: boolean;
}

export type SessionEvent =
  | {
      kind: 'packet';
      dir: 'in' | 'out';
      id: number;
      at: number;
      raw: Uint8Array;
      packet: Packet;
      /** For ENCRYPTED_DATA we could decrypt: the plaintext. */
      plaintext?: Uint8Array;
      decryptError?: string;
      /** For an outgoing DATA: we wait for its ACK. */
      awaitsAck?: boolean;
    }
  | { kind: 'raw-out'; id: number; at: number; raw: Uint8Array }
  | {
      kind: 'frame-error';
      id: number;
      at: number;
      code: FrameErrorCode;
      message: string;
      raw: Uint8Array;
      expectedCrc?: number;
    }
  | { kind: 'skipped'; id: number; at: number; raw: Uint8Array }
  | { kind: 'ack'; id: number; at: number; dataId: number; ackId: number; rttMs: number }
  | { kind: 'ack-timeout'; id: number; at: number; dataId: number }
  | { kind: 'closed'; id: number; at: number; error?: LinkError };

export type SendResult = { ok: true; rttMs?: number; id: number } | { ok: false; error: LinkError; id?: number };

interface PendingAck {
  dataId: number;
  sentAt: number;
  timer: NodeJS.Timeout | undefined;
  resolve: (result: SendResult) => void;
}

let lastEventId = 0;
/** Ids are unique in the process so a log can pair an ACK with its DATA across links. */
export const nextEventId = (): number => ++lastEventId;

const DEFAULTS = {
  ackTimeoutMs: 5000,
  frameTimeoutMs: 10_000,
  maxQueuedBytes: 1 << 20,
};

export class Session {
  readonly peer: string;
  readonly openedAt = Date.now();
  readonly stats = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, lastActivity: Date.now() };
  private readonly decoder: MspDecoder;
  private readonly ackQueue: PendingAck[] = [];
  private frameTimer: NodeJS.Timeout | undefined;
  private frameTimerConsumed = 0;
  private closed = false;
  private closeError: LinkError | undefined;
  /** Serialises stop-and-wait sends: the next DATA goes out only after the previous ACK. */
  private sendChain: Promise<unknown> = Promise.resolve();
  private readonly ackRuns: AckRuns;
  /** The observer for per-packet events on the receive path; unset in quiet mode. */
  private readonly trafficObserver: ((event: SessionEvent) => void) | undefined;
  /** ACKs owed for the read being decoded; they go out together once it is done. */
  private acksDue = 0;
  /**
   * What the decoder finds. The hot path of a quiet server is DATA that needs nothing but
   * its ACK: it is counted without building an event; everything else gets one.
   */
  private readonly decodeHandler: DecodeHandler = {
    packet: (bytes, start, length, offset) => {
      if (this.trafficObserver === undefined && bytes[start + 5] === PacketType.DATA) {
        this.stats.packetsIn++;
        if (this.options.autoAck) this.acksDue++;
      } else if (this.onDecoded(packetEvent(bytes, start, length, offset))) {
        this.acksDue++;
      }
    },
    other: (event) => {
      if (this.onDecoded(event)) this.acksDue++;
    },
  };

  constructor(
    private readonly stream: Duplex,
    private options: SessionOptions,
  ) {
    this.peer = options.peer;
    this.decoder = new MspDecoder({ maxPacketSize: options.maxPacketSize });
    this.trafficObserver = options.traffic === false ? undefined : options.observer;
    this.ackRuns = ackRunsFor(this.version);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (error: Error) => this.close(linkErrorFromNode(error, this.peer)));
    stream.on('close', () => this.close());
    // The peer finished sending: our queued ACKs still go out (the socket ends itself once flushed).
    stream.on('end', () => this.close(undefined, 'flush'));
  }

  get version(): number {
    return this.options.version ?? VERSION_PLAIN;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes received and held for a frame not yet complete (junk is never held). */
  get bufferedBytes(): number {
    return this.decoder.buffered;
  }

  /** Switch auto-ACK on or off while running (the server panel's switch). */
  setAutoAck(on: boolean): void {
    this.options = { ...this.options, autoAck: on };
  }

  /**
   * Sends one message as DATA (or ENCRYPTED_DATA under legacy security) in a single
   * write, after any earlier message got its ACK, and resolves when this one's ACK
   * arrives or its timer runs out.
   */
  sendMessage(payload: Uint8Array): Promise<SendResult> {
    const run = () => this.writeData(payload);
    const result = this.sendChain.then(run, run);
    this.sendChain = result;
    return result;
  }

  /** Sends a packet as given, with no ACK expected (an ACK, or a hand-made type). */
  sendPacket(packet: Packet): SendResult {
    const raw = encodePacket(packet);
    const id = nextEventId();
    if (!this.write(raw)) return { ok: false, error: this.closeError ?? closedError(this.peer), id };
    this.stats.packetsOut++;
    this.emit({ kind: 'packet', dir: 'out', id, at: Date.now(), raw, packet });
    return { ok: true, id };
  }

  /** Sends bytes exactly as given, unframed: for crafting broken packets on purpose. */
  sendRaw(bytes: Uint8Array): SendResult {
    const id = nextEventId();
    if (!this.write(bytes)) return { ok: false, error: this.closeError ?? closedError(this.peer), id };
    this.emit({ kind: 'raw-out', id, at: Date.now(), raw: bytes });
    return { ok: true, id };
  }

  /** Ends the session; `error` says why when it is not a normal close. */
  close(error?: LinkError, how: 'destroy' | 'flush' = 'destroy'): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    clearTimeout(this.frameTimer);
    const reason = error ?? closedError(this.peer);
    for (const pending of this.ackQueue.splice(0)) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error: reason, id: pending.dataId });
    }
    if (how === 'flush') this.stream.end();
    else this.stream.destroy();
    this.emit({ kind: 'closed', id: nextEventId(), at: Date.now(), error });
  }

  private async writeData(payload: Uint8Array): Promise<SendResult> {
    if (this.closed) return { ok: false, error: this.closeError ?? closedError(this.peer) };
    const security = this.options.security ?? { mode: 'none' };
    const packet: Packet =
      security.mode === 'legacy'
        ? { version: this.version, type: PacketType.ENCRYPTED_DATA, payload: legacyEncrypt(security.key, payload) }
        : { version: this.version, type: PacketType.DATA, payload };
    const raw = encodePacket(packet);
    const dataId = nextEventId();
    const sentAt = performance.now();
    const done = new Promise<SendResult>((resolve) => {
      const pending: PendingAck = { dataId, sentAt, timer: undefined, resolve };
      const timeout = this.options.ackTimeoutMs ?? DEFAULTS.ackTimeoutMs;
      pending.timer = setTimeout(() => this.onAckTimeout(pending, timeout), timeout);
      this.ackQueue.push(pending);
    });
    this.emit({
      kind: 'packet',
      dir: 'out',
      id: dataId,
      at: Date.now(),
      raw,
      packet,
      awaitsAck: true,
      ...(security.mode === 'legacy' ? { plaintext: payload } : {}),
    });
    this.stats.packetsOut++;
    this.write(raw);
    return done;
  }

  private onAckTimeout(pending: PendingAck, timeoutMs: number): void {
    const index = this.ackQueue.indexOf(pending);
    if (index < 0) return;
    this.ackQueue.splice(index, 1);
    this.emit({ kind: 'ack-timeout', id: nextEventId(), at: Date.now(), dataId: pending.dataId });
    pending.resolve({
      ok: false,
      id: pending.dataId,
      error: linkError('LINK_ERR_ACK_TIMEOUT', `No ACK from ${this.peer} within ${timeoutMs / 1000} s.`),
    });
  }

  private write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    this.stats.bytesOut += bytes.length;
    this.stats.lastActivity = Date.now();
    this.stream.write(bytes);
    const limit = this.options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes;
    if (this.stream.writableLength > limit) {
      this.close(
        linkError(
          'LINK_ERR_SLOW_READER',
          `${this.peer} is not reading: over ${limit} bytes were waiting to be sent, so it was disconnected.`,
        ),
      );
      return false;
    }
    return true;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.stats.bytesIn += chunk.length;
    this.stats.lastActivity = Date.now();
    this.acksDue = 0;
    this.decoder.pushTo(chunk, this.decodeHandler);
    if (this.acksDue > 0) this.writeAcks(this.acksDue);
    this.armFrameTimer();
  }

  /** Handles one decoded event; returns true when it asks for an ACK. */
  private onDecoded(event: DecodeEvent): boolean {
    const observer = this.trafficObserver;
    if (event.kind === 'packet') {
      this.stats.packetsIn++;
      const { packet } = event;
      const id = nextEventId();
      let wantsAck = packet.type === PacketType.DATA || packet.type === PacketType.ENCRYPTED_DATA;
      let plaintext: Uint8Array | undefined;
      let decryptError: string | undefined;
      const security = this.options.security;
      if (packet.type === PacketType.ENCRYPTED_DATA && security?.mode === 'legacy') {
        const result = legacyDecrypt(security.key, packet.payload);
        if (result.ok) plaintext = result.value;
        else {
          decryptError = result.error.message;
          wantsAck = false; // as the original: silence on a failed decryption
        }
      }
      if (observer) {
        observer({
          kind: 'packet',
          dir: 'in',
          id,
          at: Date.now(),
          raw: event.raw.slice(),
          packet: { ...packet, payload: packet.payload.slice() },
          ...(plaintext ? { plaintext } : {}),
          ...(decryptError ? { decryptError } : {}),
        });
      }
      if (packet.type === PacketType.ACK) this.pairAck(id);
      return wantsAck && this.options.autoAck;
    }
    if (!observer) return false;
    if (event.kind === 'error') {
      observer({
        kind: 'frame-error',
        id: nextEventId(),
        at: Date.now(),
        code: event.code,
        message: event.message,
        raw: event.raw.slice(),
        ...(event.expectedCrc !== undefined ? { expectedCrc: event.expectedCrc } : {}),
      });
    } else {
      observer({ kind: 'skipped', id: nextEventId(), at: Date.now(), raw: event.raw.slice() });
    }
    return false;
  }

  /** ACKs for one read go out in one write: one syscall for a burst of coalesced DATA. */
  private writeAcks(count: number): void {
    const ack = this.ackRuns.ack;
    this.stats.packetsOut += count;
    if (this.trafficObserver) {
      for (let i = 0; i < count; i++) {
        this.emit({
          kind: 'packet',
          dir: 'out',
          id: nextEventId(),
          at: Date.now(),
          raw: Uint8Array.from(ack),
          packet: { version: this.version, type: PacketType.ACK, payload: ACK_PAYLOAD },
        });
      }
    }
    this.write(this.ackRuns.bytes(count));
  }

  private pairAck(ackId: number): void {
    const pending = this.ackQueue.shift();
    if (!pending) return; // an ACK we did not ask for: logged as a packet, nothing to pair
    clearTimeout(pending.timer);
    const rttMs = performance.now() - pending.sentAt;
    this.emit({ kind: 'ack', id: nextEventId(), at: Date.now(), dataId: pending.dataId, ackId, rttMs });
    pending.resolve({ ok: true, rttMs, id: pending.dataId });
  }

  /**
   * Starts the frame timer when a frame is left incomplete. When it fires it checks
   * whether the decoder moved on since (a busy stream often ends reads mid-frame)
   * and only gives up on a frame that made no progress for the whole period.
   */
  private armFrameTimer(): void {
    const timeout = this.options.frameTimeoutMs ?? DEFAULTS.frameTimeoutMs;
    if (timeout <= 0) return;
    if (this.decoder.buffered === 0) {
      if (this.frameTimer) {
        clearTimeout(this.frameTimer);
        this.frameTimer = undefined;
      }
      return;
    }
    if (this.frameTimer) return;
    this.frameTimerConsumed = this.decoder.consumed;
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      if (this.closed || this.decoder.buffered === 0) return;
      if (this.decoder.consumed !== this.frameTimerConsumed) return this.armFrameTimer();
      const events = this.decoder.expire();
      let acks = 0;
      for (const event of events) if (this.onDecoded(event)) acks++;
      if (this.options.onFrameTimeout === 'resync') {
        if (acks > 0) this.writeAcks(acks);
        this.armFrameTimer();
        return;
      }
      this.close(
        linkError('LINK_ERR_FRAME_TIMEOUT', `${this.peer} sent part of a frame and then nothing for ${timeout / 1000} s.`),
      );
    }, timeout);
    this.frameTimer.unref?.();
  }

  private emit(event: SessionEvent): void {
    this.options.observer?.(event);
  }
}

function closedError(peer: string): LinkError {
  return linkError('LINK_ERR_CLOSED', `The link to ${peer} is closed.`);
}
