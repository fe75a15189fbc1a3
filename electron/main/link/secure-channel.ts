/**
 * The hook between a Session and a security layer (MSP v3, or a password server that
 * also speaks msp-secure.py's scheme). The Session keeps framing, ACK pairing and timers;
 * the channel decides what each packet is worth and seals what we send. A session
 * without a channel never touches this file: the plain path stays as it was.
 */
import type { Packet, Result } from '../../../shared/msp/index.ts';
import type { LinkError } from './errors.ts';

/** What protects the packets of a session. */
export type PacketProtection = 'none' | 'legacy-weak' | 'v3';

/** The lock a user sees: the strongest protection in place (v3 inside TLS shows v3). */
export type SecurityLock = 'none' | 'legacy-weak' | 'v3' | 'tls';

export interface SessionSecurity {
  lock: SecurityLock;
  transport: 'plain' | 'tls';
  packets: PacketProtection;
}

export function sessionSecurity(transport: 'plain' | 'tls', packets: PacketProtection): SessionSecurity {
  const lock: SecurityLock = packets === 'v3' ? 'v3' : transport === 'tls' ? 'tls' : packets;
  return { lock, transport, packets };
}

/** What a channel asks of its session outside `receive` (on a timer). */
export interface ChannelIo {
  /** Writes one packet now; it is logged like any packet we send. */
  send(packet: Packet): void;
  /** Ends the session with this error. */
  fail(error: LinkError): void;
}

/** What a received packet turned out to be. */
export type Received =
  /** A message to deliver (and ACK when auto-ACK is on). */
  | { kind: 'data'; plaintext: Uint8Array }
  /** The peer's ACK of our oldest unacknowledged DATA. */
  | { kind: 'ack'; plaintext: Uint8Array }
  /** A handshake step the channel handled; `replies` go out now, in order. */
  | { kind: 'handshake'; replies: Packet[] }
  /** A TYPE nobody handles: logged, nothing else (as on a plain link). */
  | { kind: 'ignored' }
  /** Not accepted: no delivery, no ACK, logged with the reason. `close` ends the session after `replies`. */
  | { kind: 'rejected'; error: LinkError; replies: Packet[]; close: boolean };

export interface SecureChannel {
  /** What protects packets now (it changes when a handshake completes). */
  readonly protection: PacketProtection;
  /** Called once the session is listening: a client sends its HELLO here. */
  start(io: ChannelIo): void;
  /** Judges one decoded packet; `frame` is its raw bytes (the handshake hashes them). */
  receive(packet: Packet, frame: Uint8Array): Received;
  /** Resolves when DATA may be sealed (undefined) or never will be (the error). */
  whenReady(): Promise<LinkError | undefined>;
  /** Seals our DATA. Synchronous, so a sealed packet goes out before any later one. */
  sealData(payload: Uint8Array): Result<Packet, LinkError>;
  /** Seals the ACK of a delivered message. */
  sealAck(): Result<Packet, LinkError>;
  /** The session ended (`reason` says why): stop timers, wipe keys, settle `whenReady`. */
  stop(reason: LinkError): void;
}
