/** The data that crosses IPC: link status, log entries, client lists, rates. All plain and serialisable. */
import type { AppError } from '../result.ts';
import type { BindAddress, Settings } from './schemas.ts';
import type { SerialLinkStatus } from './serial.ts';
import type { SecretsInfo, SecurityLock, ServerSecuritySummary } from './security.ts';

export type LinkStatus =
  | { state: 'idle' }
  /** `securing`: connected, the secure handshake is under way. */
  | { state: 'connecting'; host: string; port: number; securing?: boolean }
  | { state: 'connected'; host: string; port: number; since: number; lock?: SecurityLock }
  | { state: 'listening'; bind: BindAddress; port: number; clients: number; since: number; security?: ServerSecuritySummary }
  /** Opening failed, or an open link ended without us asking (refused, reset, closed by the peer...). */
  | { state: 'error'; error: AppError }
  /** A serial port opening, open, or waiting to reopen (shared/ipc/serial.ts). */
  | SerialLinkStatus;

/** One thing that went over the link, as the log shows it. */
export interface LogEntry {
  /** Unique in the backend process; an ACK names its DATA by this id. */
  id: number;
  /** Wall-clock time, ms since the epoch. */
  at: number;
  dir: 'in' | 'out';
  /** "127.0.0.1:50123": the other end. */
  peer: string;
  /** Server mode: which client. */
  clientId?: number;
  /**
   * packet: a whole, valid MSP packet; bad-frame: started with AA 55 but was rejected;
   * junk: bytes that are not part of any frame; raw: bytes we wrote unframed on purpose;
   * suppressed: how many more bad frames and junk bytes the decoder only counted.
   */
  kind: 'packet' | 'bad-frame' | 'junk' | 'raw' | 'suppressed';
  /** The bytes exactly as on the wire; for bad-frame and junk only the first ones (see `length`); none for suppressed. */
  raw: Uint8Array;
  /** bad-frame and junk: how many bytes the frame or run spans (`raw` holds at most REJECT_PREFIX_BYTES of them). */
  length?: number;
  /** suppressed: rejected frames and skipped bytes counted since the previous row about them. */
  suppressed?: { frames: number; bytes: number };
  /** For ENCRYPTED_DATA that was decrypted, or a sealed v3 packet: the plaintext (a SEALED_SERVICE's without its inner TYPE). */
  plaintext?: Uint8Array;
  /**
   * A SEALED_SERVICE: the service TYPE inside it (FT_CHUNK, RC_RUN...), as the session that
   * opened or sealed it said, so the window names it (packetLabel) without decrypting anything.
   */
  innerType?: number;
  /** For a bad frame: why it was rejected (MSP_ERR_BAD_CRC, MSP_ERR_BAD_LENGTH...). */
  error?: AppError;
  /** For MSP_ERR_BAD_CRC: the CRC the payload should have had. */
  expectedCrc?: number;
  /** What protected this packet on the link (the session's lock when it went by). */
  lock?: SecurityLock;
  /** A packet the secure channel refused (plaintext at a password server, a bad tag...): not delivered, not ACKed. */
  rejected?: AppError;
  /** Our outgoing DATA: its ACK status follows as an `ack`, `ack-timeout` or `ack-lost` event. */
  awaitsAck?: boolean;
}

/** What `packet.traffic` carries, in the order it happened. */
export type TrafficEvent =
  | { kind: 'entry'; entry: LogEntry }
  | { kind: 'ack'; dataId: number; ackId: number; rttMs: number }
  | { kind: 'ack-timeout'; dataId: number }
  /** The link closed before the ACK came. */
  | { kind: 'ack-lost'; dataId: number; reason: AppError }
  /**
   * Main dropped this many of the oldest events (and their bytes) that were waiting for the
   * window: traffic came faster than the window is sent it (shared/limits.ts).
   */
  | { kind: 'dropped'; events: number; bytes: number };

export interface ClientSummary {
  clientId: number;
  peer: string;
  since: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  lastActivity: number;
}

/** One second of traffic, sent once a second while a link is open. */
export interface RateSample {
  at: number;
  packetsInPerSec: number;
  packetsOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  /** Round-trip times of our DATA's ACKs since the link opened (the last 10,000 at most). */
  rtt: { count: number; minMs: number; avgMs: number; p99Ms: number } | null;
}

/** A repeated send in progress. */
export interface SendProgress {
  running: boolean;
  sent: number;
  total: number;
  /** Why it stopped early, when it did. */
  error?: AppError;
}

export interface AppInfo {
  /** process.platform of the main process: 'win32' shows the firewall hint. */
  platform: string;
  version: string;
}

/** Everything the renderer needs when it (re)loads. */
export interface AppSnapshot {
  info: AppInfo;
  settings: Settings;
  /** Set when the settings file could not be used and defaults were loaded instead. */
  settingsWarning?: AppError;
  status: LinkStatus;
  clients: ClientSummary[];
  autoAck: boolean;
  sendProgress: SendProgress;
  /** Whether passwords are remembered (never the passwords themselves). */
  secrets: SecretsInfo;
}

export interface SendAccepted {
  total: number;
}
