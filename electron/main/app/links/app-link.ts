/**
 * One open link of the desktop app, whatever carries it (a TCP client, a TCP server with its
 * clients, a serial port): what AppBackend asks of it, and what it tells AppBackend. AppBackend
 * holds at most one and never asks which kind it is; adding a kind of link is a new file here.
 */
import type { SendRequest } from '../../../../shared/ipc/schemas.ts';
import type { SerialSignals } from '../../../../shared/ipc/serial.ts';
import type { ClientSummary, LinkStatus } from '../../../../shared/ipc/types.ts';
import type { Result } from '../../../../shared/result.ts';
import type { SerialDriver } from '../../link/serial-port.ts';
import type { Session, SessionEvent } from '../../link/session.ts';
import type { PacketHook } from '../../link/packet-hook.ts';
import type { Service } from '../../link/services/service.ts';
import type { SecretStore } from '../secret-store.ts';
import type { SecurityTuning } from '../link-security.ts';
import type { TrafficTranslator } from '../traffic-translator.ts';

export interface AppLink {
  /** The sessions a send goes to now, looked up again at each repeat (clients come and go). */
  targets(to: SendRequest['to']): Result<Session[]>;
  /** Refuses a message this link cannot carry as it would go on the wire (a port's largest packet). */
  checkMessage(payload: Uint8Array): Result<null>;
  /** The clients of a server; none for other links. */
  clients(): ClientSummary[];
  /** Disconnects one client of a server. */
  disconnect(clientId: number): Result<null>;
  setAutoAck(on: boolean): void;
  /** DTR/RTS, where the link has them (a serial port). */
  setSignals?(lines: SerialSignals): Promise<Result<null>>;
  /** Closes everything the link opened; resolves once it is released. */
  close(): Promise<void>;
}

/** Which sessions a link asks services for: a client's, or each client's on a server (a serial port's by its role). */
export interface LinkServiceRequest {
  role: 'client' | 'server';
  /** A serial port's --max-packet: services size their packets for it. */
  serialMaxPacket?: number;
}

/** The services a link's sessions offer beyond messaging (file transfer, remote control). */
export type LinkServices = (link: LinkServiceRequest) => ReadonlyArray<() => Service>;

/** What a link is given when it opens: where its events go, and what the app is set to. */
export interface LinkContext {
  /** Aborted when the link is closed or given up: a late callback of an old link checks it and does nothing. */
  signal: AbortSignal;
  /** A session's event, for the log, the rates and the batches to the window. */
  traffic(event: SessionEvent, translator: TrafficTranslator): void;
  /** The header's status changed. */
  status(status: LinkStatus): void;
  /** A server's client list changed. */
  clientsChanged(): void;
  /** The link ended by itself (the peer hung up, the port went away for good): `status` says how. */
  ended(status: LinkStatus): void;
  autoAck: boolean;
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
  secrets: SecretStore;
  security?: SecurityTuning;
  serialDriver?: SerialDriver;
  serialReopenIntervalMs?: number;
  /** The auto-responder's rules, asked about every packet the link's sessions receive. */
  packetHook?: PacketHook;
  /** Services each session of the link offers (file transfer, remote control: see LinkServices). */
  services?: LinkServices;
}

/** A stalled frame is given up after this long (the CLI server's default). */
export const FRAME_TIMEOUT_MS = 10_000;
