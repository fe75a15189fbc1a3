/**
 * Turns one session's events into what the log shows. Every byte appears once: the
 * decoder reports a rejected frame and then skips its bytes, so the skip that covers a
 * frame just reported as bad is folded into it and only bytes beyond it show as junk.
 * Rejects carry only their first bytes and their length; past a few, the decoder only
 * counts them, and its `suppressed` summary becomes one row.
 * Each packet carries its lock (what protected it: packet-lock.ts), and a packet the
 * secure channel refused says so.
 */
import type { SessionEvent } from '../link/session.ts';
import type { LogEntry, TrafficEvent } from '../../../shared/ipc/types.ts';
import { BadFrameFold } from '../../../shared/msp/bad-frame-fold.ts';
import { PacketType } from '../../../shared/msp/types.ts';
import { packetLock, type TransportLock } from './packet-lock.ts';

/** A module constant: per packet, not an imported binding read through a getter. */
const SEALED_SERVICE = PacketType.SEALED_SERVICE;

export class TrafficTranslator {
  /** Folds the skip that repeats a bad frame's bytes into it. */
  private readonly fold = new BadFrameFold();
  /** Whether the connection itself is TLS; `security` events confirm it. */
  private transport: TransportLock;

  constructor(
    private readonly peer: string,
    private readonly clientId?: number,
    transport: TransportLock = 'none',
  ) {
    this.transport = transport;
  }

  translate(event: SessionEvent): TrafficEvent | undefined {
    switch (event.kind) {
      case 'packet': {
        this.fold.reset();
        const lock = packetLock(event.packet, this.transport);
        return this.entry(event.id, event.at, event.dir, 'packet', event.raw, {
          ...(event.plaintext ? { plaintext: event.plaintext } : {}),
          ...(event.packet.type === SEALED_SERVICE && event.serviceType !== undefined ? { innerType: event.serviceType } : {}),
          ...(event.awaitsAck ? { awaitsAck: true } : {}),
          lock,
          ...(event.rejected ? { rejected: { code: event.rejected.code, message: event.rejected.message } } : {}),
        });
      }
      case 'raw-out':
        return this.entry(event.id, event.at, 'out', 'raw', event.raw);
      case 'frame-error':
        this.fold.rejected(event.length);
        return this.entry(event.id, event.at, 'in', 'bad-frame', event.raw, {
          length: event.length,
          error: { code: event.code, message: event.message },
          ...(event.expectedCrc !== undefined ? { expectedCrc: event.expectedCrc } : {}),
        });
      case 'skipped': {
        const rest = this.fold.skipped(event.raw, event.length);
        return rest && this.entry(event.id, event.at, 'in', 'junk', rest.raw, { length: rest.length });
      }
      case 'suppressed':
        this.fold.reset();
        return this.entry(event.id, event.at, 'in', 'suppressed', new Uint8Array(0), {
          suppressed: { frames: event.frames, bytes: event.bytes },
        });
      case 'ack':
        return { kind: 'ack', dataId: event.dataId, ackId: event.ackId, rttMs: event.rttMs };
      case 'ack-timeout':
        return { kind: 'ack-timeout', dataId: event.dataId };
      case 'security':
        // Not a log row: the backend puts the session's lock in the status.
        this.transport = event.security.transport === 'tls' ? 'tls' : 'none';
        return undefined;
      case 'closed':
        // Not a log row: the backend reports link state through status events.
        return undefined;
    }
  }

  private entry(
    id: number,
    at: number,
    dir: LogEntry['dir'],
    kind: LogEntry['kind'],
    raw: Uint8Array,
    extra: Partial<LogEntry> = {},
  ): TrafficEvent {
    const entry: LogEntry = { id, at, dir, peer: this.peer, kind, raw, ...extra };
    if (this.clientId !== undefined) entry.clientId = this.clientId;
    return { kind: 'entry', entry };
  }
}
