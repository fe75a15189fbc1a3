/**
 * The hook between a Session and its protection. The Session keeps framing, ACK pairing and
 * timers; the channel decides what each received packet is worth and seals what we send.
 * Every session has one: plain (msp.py), msp-secure.py's scheme, MSP v3, or a password
 * server's that picks between the last two.
 */
import type { Packet } from '../../../shared/msp/index.ts';
import type { Result } from '../../../shared/result.ts';
import type { LinkError } from './errors.ts';
import type { WireProtection } from './wire-size.ts';

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

/** What a channel asks of its session outside `receive` (after a handshake step, on a timer). */
export interface ChannelIo {
  /** Writes one packet now; it is logged like any packet we send. */
  send(packet: Packet): void;
  /** Ends the session with this error. */
  fail(error: LinkError): void;
}

/** What a received packet turned out to be. */
export type Received =
  /**
   * A message to deliver (and ACK when auto-ACK is on). `plaintext` when the channel opened
   * something (a sealed or encrypted packet); a plain DATA's payload is the message itself.
   */
  | { kind: 'data'; plaintext?: Uint8Array }
  /** The peer's ACK of our oldest unacknowledged DATA. */
  | { kind: 'ack'; plaintext?: Uint8Array }
  /**
   * A message for a service (services/): its TYPE (the inner one under v3) and payload, opened.
   * `plaintext` (sealed only): the payload again, for the log; the inner TYPE is `type`.
   */
  | { kind: 'service'; type: number; payload: Uint8Array; plaintext?: Uint8Array }
  /** A handshake step the channel handled; `replies` go out now, in order. */
  | { kind: 'handshake'; replies: Packet[] }
  /** A TYPE nobody handles: logged, nothing else (as on a plain link). */
  | { kind: 'ignored' }
  /** Not accepted: no delivery, no ACK, logged with the reason. `close` ends the session after `replies`. */
  | { kind: 'rejected'; error: LinkError; replies: Packet[]; close: boolean };

/**
 * One session's protection, whatever it is: the plain channel of msp.py (channels/plain-channel.ts),
 * msp-secure.py's scheme (channels/legacy-client-channel.ts, and inside a password server's
 * channel), MSP v3. The Session asks the channel about every packet and never asks which one it is.
 */
export interface SecureChannel {
  /** What protects packets now (it changes when a handshake completes). */
  readonly protection: PacketProtection;
  /** How a DATA we send will be protected on the wire, for size checks ('unsettled': not known yet). */
  readonly wireProtection: WireProtection;
  /**
   * True when a DATA needs nothing but its ACK and the ACK is always the same bytes (msp.py's
   * plain link): the session may then count DATA and write ACK runs without building events.
   */
  readonly passesPlainData: boolean;
  /** True when the peer proved it knows the password (v3): what services that need it check. */
  readonly authenticated: boolean;
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
  /** Seals one service message of TYPE `type` (docs/PROTOCOL.md, "Services"). */
  sealService(type: number, payload: Uint8Array): Result<Packet, LinkError>;
  /** The session ended (`reason` says why): stop timers, wipe keys, settle `whenReady`. */
  stop(reason: LinkError): void;
}

/** What a session tells the channel it makes. */
export interface ChannelContext {
  /** The VERSION byte of plain packets: 1 like msp.py, 2 like msp-secure.py. */
  version: number;
  /**
   * SHA-256 of the server's TLS certificate when the session runs inside TLS (the client's
   * pinned or verified one, the server's own): MSP v3 binds it into its handshake.
   */
  serverIdentity?: Uint8Array;
}

/** How the sessions of a link are protected: each session gets a fresh channel. */
export interface Security {
  create(peer: string, context: ChannelContext): SecureChannel;
}
