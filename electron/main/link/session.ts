/**
 * One MSP conversation over one byte stream (a TCP socket or a serial port): it owns
 * the decoder, answers DATA with ACK when asked to, pairs our DATA with the peer's ACK,
 * and runs the frame timer. Every packet in and out goes through the session's channel
 * (plain, msp-secure.py's scheme, MSP v3: secure-channel.ts), and service messages to their
 * services (services/). Plain Node: the CLI, the app and the tests all use it.
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
import type { Result } from '../../../shared/result.ts';
import { AckPairing, type SendResult } from './ack-pairing.ts';
import type { CaptureTap, StreamTap } from './capture-tap.ts';
import { ACK_PAYLOAD, ackRunsFor, type AckRuns } from './ack-runs.ts';
import { plainSecurity } from './channels/plain-channel.ts';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';
import { sessionSecurity, type Received, type SecureChannel, type Security, type SessionSecurity } from './secure-channel.ts';
import { PacketPacer } from './packet-pacer.ts';
import type { HookIo, PacketHook } from './packet-hook.ts';
import type { ImpairedWriter, LinkImpairment } from './impairment.ts';
import type { Service } from './services/service.ts';
import { ServiceTable } from './services/service-table.ts';
import type { WireProtection } from './wire-size.ts';

export { ACK_PAYLOAD };
export type { Security };

export interface SessionOptions {
  /** "127.0.0.1:50123" or "/dev/ttyUSB0": shown in logs and errors. */
  peer: string;
  /** Answer DATA and ENCRYPTED_DATA with ACK "OK", as the original server does. */
  autoAck: boolean;
  /** VERSION byte of what we send: 1 like msp.py, 2 like msp-secure.py. */
  version?: number;
  /** How packets are protected; plain (msp.py) when left out. */
  security?: Security;
  /** Inside TLS: SHA-256 of the server's certificate, which MSP v3 binds (server-identity.ts). */
  serverIdentity?: Uint8Array;
  /** This session's services besides messaging, made fresh for it (file transfer, remote control...). */
  services?: ReadonlyArray<() => Service>;
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
  /**
   * The stream outlives the session: closing detaches from it instead of ending it, so its
   * owner (a SerialLink) can start a fresh session on the same open port.
   */
  keepStreamOnClose?: boolean;
  /** Pause after each packet we send (ms), for receivers with small buffers (retro PCs on a serial line). */
  packetGapMs?: number;
  /**
   * Close once the peer has sent more than this many junk bytes (in no valid frame) since its
   * last valid frame; 0 or unset = never (a serial line is never closed for noise).
   */
  maxJunkBytes?: number;
  /** Asked about each packet received whole: reply to it, or bend its ACK (an auto-responder's rules). */
  packetHook?: PacketHook;
  /** Drop, delay, bend what we send, as netem would (the server's and the bridge's --impair). */
  impairment?: LinkImpairment;
  /** Records the bytes read and written, as they go (msp --capture FILE; capture-tap.ts). */
  capture?: CaptureTap;
}

export type SessionEvent =
  | {
      kind: 'packet';
      dir: 'in' | 'out';
      id: number;
      at: number;
      raw: Uint8Array;
      packet: Packet;
      /** For ENCRYPTED_DATA we could decrypt, or a sealed packet we opened or sent: the plaintext. */
      plaintext?: Uint8Array;
      decryptError?: string;
      /** Why a secure channel refused this packet (not delivered, not ACKed). Logged even when quiet. */
      rejected?: LinkError;
      /** For an outgoing DATA: we wait for its ACK. */
      awaitsAck?: boolean;
      /** A service message: its TYPE (the inner one when sealed), so logs can name it without opening it again. */
      serviceType?: number;
    }
  | { kind: 'raw-out'; id: number; at: number; raw: Uint8Array }
  | {
      kind: 'frame-error';
      id: number;
      at: number;
      code: FrameErrorCode;
      message: string;
      /** The frame's first bytes (at most REJECT_PREFIX_BYTES); `length` is how many it spans. */
      raw: Uint8Array;
      length: number;
      expectedCrc?: number;
    }
  /** Bytes that are not part of any frame: the first of them in `raw`, how many in `length`. */
  | { kind: 'skipped'; id: number; at: number; raw: Uint8Array; length: number }
  /** Rejected frames and skipped bytes only counted, after a few reported in full (see DecodeEvent). */
  | { kind: 'suppressed'; id: number; at: number; frames: number; bytes: number }
  | { kind: 'ack'; id: number; at: number; dataId: number; ackId: number; rttMs: number }
  | { kind: 'ack-timeout'; id: number; at: number; dataId: number }
  | { kind: 'closed'; id: number; at: number; error?: LinkError }
  /** What protects the session changed (a secure handshake completed). */
  | { kind: 'security'; id: number; at: number; security: SessionSecurity };

export type { SendResult };

let lastEventId = 0;
/** Ids are unique in the process so a log can pair an ACK with its DATA across links. */
export const nextEventId = (): number => ++lastEventId;

/** A module constant, not an imported binding: the CLI's loader (tsx) reads those through a getter, per packet here. */
const DATA_TYPE = PacketType.DATA;

/** How long a session closed by its secure channel waits for its last ALERT to be read. */
const CLOSE_GRACE_MS = 2000;

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
  /** Our DATA waiting for the peer's ACK, paired in order. */
  private readonly acks = new AckPairing((dataId) => this.ackTimedOut(dataId));
  private frameTimer: NodeJS.Timeout | undefined;
  private frameTimerConsumed = 0;
  private closed = false;
  private closeError: LinkError | undefined;
  /** Serialises stop-and-wait sends: the next DATA goes out only after the previous ACK. */
  private sendChain: Promise<unknown> = Promise.resolve();
  private readonly ackRuns: AckRuns;
  /** The observer for per-packet events on the receive path; unset in quiet mode. */
  private readonly trafficObserver: ((event: SessionEvent) => void) | undefined;
  /** Seals what we send and judges what we receive: plain, msp-secure.py's scheme or v3. */
  private readonly channel: SecureChannel;
  /** Made on first use: most sessions never see a service message, and a server holds thousands. */
  private serviceTable: ServiceTable | undefined;
  /** Spaces out what we send when packetGapMs is set; otherwise writes go straight to the stream. */
  private readonly pacer: PacketPacer | undefined;
  /** What we send goes through this first when the link is impaired (then to the pacer or the stream). */
  private readonly impaired: ImpairedWriter | undefined;
  /** ACKs owed for the read being decoded; they go out together once it is done. */
  private acksDue = 0;
  /** The capture this session's bytes go to, if any. */
  private readonly tap: StreamTap | undefined;
  /** Removes this session's listeners from the stream (see keepStreamOnClose). */
  private readonly detachFromStream: () => void;
  /** What the packet hook may do on this session (made once, when there is a hook). */
  private readonly hookIo: HookIo | undefined;
  /** The stream is corked until the end of this tick: what we write in one tick goes out in one syscall. */
  private corked = false;
  private readonly uncork = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.stream.uncork();
  };
  /**
   * What the decoder finds. The hot path of a quiet, unsecured server is DATA that needs
   * nothing but its ACK: it is counted without building an event; everything else gets one.
   */
  private readonly decodeHandler: DecodeHandler = {
    packet: (bytes, start, length, offset) => {
      if (this.trafficObserver === undefined && this.hookIo === undefined && this.channel.passesPlainData && bytes[start + 5] === DATA_TYPE) {
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
    this.tap = options.capture?.open(stream, options.peer);
    this.ackRuns = ackRunsFor(this.version);
    if (options.packetGapMs) this.pacer = new PacketPacer(stream, options.packetGapMs);
    if (options.impairment) this.impaired = options.impairment.writer((bytes) => this.writeOut(bytes));
    const onData = (chunk: Buffer) => this.onData(chunk);
    const onError = (error: Error) => this.close(linkErrorFromNode(error, this.peer));
    const onClose = () => this.close();
    // The peer finished sending: our queued ACKs still go out (the socket ends itself once flushed).
    const onEnd = () => this.close(undefined, 'flush');
    stream.on('data', onData);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.on('end', onEnd);
    this.detachFromStream = () => {
      stream.off('data', onData);
      stream.off('error', onError);
      stream.off('close', onClose);
      stream.off('end', onEnd);
    };
    const serverIdentity = options.serverIdentity;
    this.channel = (options.security ?? plainSecurity).create(options.peer, { version: this.version, ...(serverIdentity ? { serverIdentity } : {}) });
    // A session that offers services makes its table now, so they are attached from the start; the rest make it on first use.
    if (options.services?.length) void this.services;
    this.channel.start({ send: (packet) => this.sendPacket(packet), fail: (error) => this.close(error) });
    if (options.packetHook) this.hookIo = this.makeHookIo();
  }

  /** The services this session offers, by the TYPE values they claim. */
  get services(): ServiceTable {
    if (!this.serviceTable) {
      const channel = this.channel;
      const session = this;
      this.serviceTable = new ServiceTable(
        {
          send: (type, payload) => this.sendService(type, payload),
          peer: this.peer,
          get authenticated() {
            return channel.authenticated;
          },
          get queueRoom() {
            return session.queueRoom;
          },
        },
        (this.options.services ?? []).map((make) => make()),
      );
    }
    return this.serviceTable;
  }

  /** What protects this session now: the lock a user sees, the transport and the packets. */
  get securityState(): SessionSecurity {
    const tls = (this.stream as { encrypted?: boolean }).encrypted === true;
    return sessionSecurity(tls ? 'tls' : 'plain', this.channel.protection);
  }

  /** How our next DATA will be protected on the wire (for a link's packet-size limit). */
  get wireProtection(): WireProtection {
    return this.channel.wireProtection;
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

  /** Resolves when the session may carry messages (a secure handshake done), or with why it never will. */
  whenReady(): Promise<LinkError | undefined> {
    return this.channel.whenReady();
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

  /**
   * Sends a packet as given, with no ACK expected (an ACK, or a hand-made type).
   * `plaintext`: what a sealed packet carries, shown in the event.
   */
  sendPacket(packet: Packet, plaintext?: Uint8Array, serviceType?: number): SendResult {
    const raw = encodePacket(packet);
    const id = nextEventId();
    if (!this.write(raw)) return { ok: false, error: this.closeError ?? closedError(this.peer), id };
    this.stats.packetsOut++;
    this.emit({
      kind: 'packet',
      dir: 'out',
      id,
      at: Date.now(),
      raw,
      packet,
      ...(plaintext ? { plaintext } : {}),
      ...(serviceType !== undefined ? { serviceType } : {}),
    });
    return { ok: true, id };
  }

  /** Sends one ACK "OK" now (auto-ACK off): sealed when the session is secured, else like the original's. */
  sendAck(): SendResult {
    const ack = this.channel.sealAck();
    if (!ack.ok) return { ok: false, error: ack.error };
    return this.sendPacket(ack.value, ack.value.type === PacketType.SEALED_ACK ? ACK_PAYLOAD : undefined);
  }

  /** Sends one service message, sealed by the channel (services call this through their ServiceIo). */
  sendService(type: number, payload: Uint8Array): Result<{ id: number }, LinkError> {
    const sealed = this.channel.sealService(type, payload);
    if (!sealed.ok) return sealed;
    const sent = this.sendPacket(sealed.value, sealed.value.payload !== payload ? payload : undefined, type);
    return sent.ok ? { ok: true, value: { id: sent.id } } : { ok: false, error: sent.error };
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
    this.uncork(); // what we wrote this tick goes out before the stream is ended or destroyed
    clearTimeout(this.frameTimer);
    this.pacer?.stop();
    this.impaired?.stop();
    this.tap?.closed();
    const reason = error ?? closedError(this.peer);
    this.channel.stop(reason);
    this.serviceTable?.detach(reason);
    this.acks.failAll(reason);
    if (this.options.keepStreamOnClose) this.detachFromStream();
    else if (how === 'flush') this.stream.end();
    else this.stream.destroy();
    // Junk counted but not yet reported still reaches the log, before the close.
    for (const event of this.decoder.takeSuppressed()) this.onDecoded(event);
    this.emit({ kind: 'closed', id: nextEventId(), at: Date.now(), error });
  }

  private async writeData(payload: Uint8Array): Promise<SendResult> {
    // A secure channel may have a handshake to finish first (a plain one is ready at once).
    const notReady = await this.channel.whenReady();
    if (notReady) return { ok: false, error: notReady };
    if (this.closed) return { ok: false, error: this.closeError ?? closedError(this.peer) };
    // Sealed right before the write, with no await between: packet numbers go out in order.
    const sealed = this.channel.sealData(payload);
    if (!sealed.ok) return sealed;
    const packet: Packet = sealed.value;
    const raw = encodePacket(packet);
    const dataId = nextEventId();
    const done = this.acks.wait(dataId, this.options.ackTimeoutMs ?? DEFAULTS.ackTimeoutMs);
    this.emit({
      kind: 'packet',
      dir: 'out',
      id: dataId,
      at: Date.now(),
      raw,
      packet,
      awaitsAck: true,
      // The message itself, when what went on the wire is not it (encrypted or sealed).
      ...(packet.payload !== payload ? { plaintext: payload } : {}),
    });
    this.stats.packetsOut++;
    this.write(raw);
    return done;
  }

  private ackTimedOut(dataId: number): LinkError {
    this.emit({ kind: 'ack-timeout', id: nextEventId(), at: Date.now(), dataId });
    const timeoutMs = this.options.ackTimeoutMs ?? DEFAULTS.ackTimeoutMs;
    return linkError('LINK_ERR_ACK_TIMEOUT', `No ACK from ${this.peer} within ${timeoutMs / 1000} s.`);
  }

  /** Bytes we may still queue for the peer before write() drops it as a slow reader. */
  get queueRoom(): number {
    const limit = this.options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes;
    return limit - (this.stream.writableLength + (this.pacer?.queuedBytes ?? 0) + (this.impaired?.queuedBytes ?? 0));
  }

  private write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    this.stats.bytesOut += bytes.length;
    this.stats.lastActivity = Date.now();
    if (this.impaired) this.impaired.write(bytes);
    else this.writeOut(bytes);
    const limit = this.options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes;
    if (this.queueRoom < 0) {
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

  /**
   * Every byte this session puts on the wire passes here (after impairment), so a capture sees
   * what the peer gets; then to the pacer when packets are spaced out, else to the stream, corked
   * until the end of the tick: a file sender's window of 64 KiB chunks, or a burst of replies,
   * leaves in one writev instead of a syscall (and a wake-up of the peer) per packet.
   */
  private writeOut(bytes: Uint8Array): void {
    this.tap?.sent(bytes);
    if (this.pacer) return this.pacer.write(bytes);
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(this.uncork);
    }
    this.stream.write(bytes);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.tap?.received(chunk);
    this.stats.bytesIn += chunk.length;
    this.stats.lastActivity = Date.now();
    this.acksDue = 0;
    this.decoder.pushTo(chunk, this.decodeHandler);
    this.flushAcksDue();
    const maxJunk = this.options.maxJunkBytes ?? 0;
    if (maxJunk > 0 && this.decoder.junkBytes > maxJunk) return this.closeForJunk(maxJunk);
    this.armFrameTimer();
  }

  /** A peer that sends only garbage costs us CPU and log space for nothing: past its budget it goes. */
  private closeForJunk(maxJunk: number): void {
    this.close(
      linkError(
        'LINK_ERR_TOO_MUCH_JUNK',
        `${this.peer} sent over ${maxJunk} bytes that are not MSP frames since its last valid frame, so it was disconnected (--max-junk-bytes).`,
      ),
    );
  }

  /** Handles one decoded event; returns true when it asks for an ACK from the plain ACK run. */
  private onDecoded(event: DecodeEvent): boolean {
    if (event.kind === 'packet') return this.onPacket(event);
    const observer = this.trafficObserver;
    if (!observer) return false;
    if (event.kind === 'error') {
      observer({
        kind: 'frame-error',
        id: nextEventId(),
        at: Date.now(),
        code: event.code,
        message: event.message,
        raw: event.raw, // already the decoder's own short copy
        length: event.length,
        ...(event.expectedCrc !== undefined ? { expectedCrc: event.expectedCrc } : {}),
      });
    } else if (event.kind === 'skipped') {
      observer({ kind: 'skipped', id: nextEventId(), at: Date.now(), raw: event.raw, length: event.length });
    } else {
      observer({ kind: 'suppressed', id: nextEventId(), at: Date.now(), frames: event.frames, bytes: event.bytes });
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
    // Paced or impaired, each ACK is a packet of its own (its own pause, its own dice).
    if (this.pacer || this.impaired) for (let i = 0; i < count; i++) this.write(ack);
    else this.write(this.ackRuns.bytes(count));
  }

  private pairAck(ackId: number): void {
    const paired = this.acks.pair();
    if (!paired) return; // an ACK we did not ask for: logged as a packet, nothing to pair
    this.emit({ kind: 'ack', id: nextEventId(), at: Date.now(), dataId: paired.dataId, ackId, rttMs: paired.rttMs });
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

  /**
   * A whole packet: the channel says what it is worth. Returns true when it asks for an ACK
   * from the plain ACK run (written once per read); other channels' ACKs are sealed one by one.
   */
  private onPacket(event: { packet: Packet; raw: Uint8Array }): boolean {
    if (this.closed) return false; // the rest of a chunk after a packet that ended the session
    const channel = this.channel;
    this.stats.packetsIn++;
    const id = nextEventId();
    const before = channel.protection;
    const received = channel.receive(event.packet, event.raw);
    const observer = received.kind === 'rejected' ? this.options.observer : this.trafficObserver;
    observer?.({
      kind: 'packet',
      dir: 'in',
      id,
      at: Date.now(),
      raw: event.raw.slice(),
      packet: { ...event.packet, payload: event.packet.payload.slice() },
      ...(plaintextOf(received) ? { plaintext: plaintextOf(received) } : {}),
      ...(received.kind === 'rejected' ? { rejected: received.error, decryptError: received.error.message } : {}),
      ...(received.kind === 'service' ? { serviceType: received.type } : {}),
    });
    if (channel.protection !== before) {
      this.emit({ kind: 'security', id: nextEventId(), at: Date.now(), security: this.securityState });
    }
    switch (received.kind) {
      case 'data':
        if (this.askHook(DATA_TYPE, received.plaintext ?? event.packet.payload, this.options.autoAck) === 'handled') return false;
        if (!this.options.autoAck) return false;
        if (channel.passesPlainData) return true;
        this.sendSealedAck();
        return false;
      case 'ack':
        this.pairAck(id);
        this.askHook(PacketType.ACK, received.plaintext ?? event.packet.payload, false);
        return false;
      case 'service':
        // A view of the read buffer: the table copies it for a service that keeps payloads.
        this.services.dispatch(received.type, received.payload);
        return false;
      case 'handshake':
        for (const reply of received.replies) this.sendPacket(reply);
        return false;
      case 'rejected':
        for (const reply of received.replies) this.sendPacket(reply);
        if (received.close) {
          // Flush so the peer reads our ALERT, but never wait on a peer that keeps its side open.
          this.close(received.error, 'flush');
          if (!this.options.keepStreamOnClose) setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS).unref();
        }
        return false;
      case 'ignored':
        this.askHook(event.packet.type, event.packet.payload, false);
        return false;
    }
  }

  /** Lets the packet hook (if any) see a received packet; 'handled' means it took care of the ACK. */
  private askHook(type: number, payload: Uint8Array, owedAck: boolean): 'ack' | 'handled' {
    const io = this.hookIo;
    if (!io || !this.options.packetHook) return 'ack';
    return this.options.packetHook.onPacket({ type, payload, owedAck }, io);
  }

  private makeHookIo(): HookIo {
    const session = this;
    return {
      peer: this.peer,
      get isClosed() {
        return session.closed;
      },
      ackBytes: () => {
        if (this.channel.passesPlainData) return { ok: true, value: Uint8Array.from(this.ackRuns.ack) };
        const ack = this.channel.sealAck();
        return ack.ok ? { ok: true, value: encodePacket(ack.value) } : ack;
      },
      writeRaw: (bytes) => {
        this.flushAcksDue();
        this.sendRaw(bytes);
      },
      reply: (type, payload) => {
        this.flushAcksDue();
        if (type !== DATA_TYPE) return void this.sendPacket({ version: this.version, type, payload });
        const sealed = this.channel.sealData(payload);
        if (sealed.ok) this.sendPacket(sealed.value, sealed.value.payload !== payload ? payload : undefined);
      },
      close: (error) => this.close(error),
    };
  }

  /** ACKs owed for earlier packets of this read go out before anything the hook writes, so order holds. */
  private flushAcksDue(): void {
    if (this.acksDue === 0) return;
    const due = this.acksDue;
    this.acksDue = 0;
    this.writeAcks(due);
  }

  private sendSealedAck(): void {
    const ack = this.channel.sealAck();
    if (ack.ok) this.sendPacket(ack.value, ack.value.type === PacketType.SEALED_ACK ? ACK_PAYLOAD : undefined);
    else this.close(ack.error);
  }

  private emit(event: SessionEvent): void {
    this.options.observer?.(event);
  }
}

/** What the channel opened from a packet, to show beside its wire bytes. */
function plaintextOf(received: Received): Uint8Array | undefined {
  return received.kind === 'data' || received.kind === 'ack' || received.kind === 'service' ? received.plaintext : undefined;
}

function closedError(peer: string): LinkError {
  return linkError('LINK_ERR_CLOSED', `The link to ${peer} is closed.`);
}
