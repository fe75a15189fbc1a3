/** An MSP server on TCP: one Session per client, limits on what clients can cost us. */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';
import { Session, type SessionEvent, type SessionOptions } from './session.ts';
import { TLS_MIN_VERSION, certificateFingerprint } from './tls.ts';
import { fingerprintBytes } from './server-identity.ts';
import { addressGroup } from './address-group.ts';
import { withSharedBufferReads } from './shared-read-buffer.ts';
import { SERVER_DEFAULTS } from '../../../shared/limits.ts';
import type { ClientSummary } from '../../../shared/ipc/types.ts';

export interface TcpServerOptions {
  host: string;
  port: number;
  /** Settings every client session gets (auto-ACK, version, security, timeouts). */
  session: Omit<SessionOptions, 'peer' | 'observer'>;
  /** More clients than this are refused, with a log entry. */
  maxConnections?: number;
  /** More clients than this from one address (IPv6: one /64) are refused; 0 = no cap. */
  maxPerAddress?: number;
  /** A client that has sent no complete frame this long after connecting is closed (ms); 0 = never. */
  firstFrameTimeoutMs?: number;
  /** A client silent this long is disconnected (ms); 0 turns it off. */
  idleTimeoutMs?: number;
  /** Receives events: clients coming and going, limits hit, and (unless `traffic` is false) every packet. */
  observer?: (event: ServerEvent) => void;
  /** false: no per-packet events, for a quiet, fast server that still logs what goes wrong. */
  traffic?: boolean;
  /** Serve TLS 1.3 with this certificate and key (PEM) instead of plain TCP (see tls.ts). */
  tls?: { cert: string; key: string };
}

/** A client as the server panel lists it (the IPC contract's shape, so it crosses as is). */
export type ClientInfo = ClientSummary;

export type ServerEvent =
  | { kind: 'listening'; host: string; port: number }
  | { kind: 'client-open'; clientId: number; peer: string; at: number }
  | { kind: 'client-refused'; peer: string; at: number; error: LinkError }
  | { kind: 'session'; clientId: number; peer: string; event: SessionEvent }
  | { kind: 'client-closed'; clientId: number; peer: string; at: number; error?: LinkError }
  | { kind: 'stopped' };

/**
 * As deep as the kernel allows (Linux caps it at net.core.somaxconn): Node accepts more slowly than
 * thousands of simultaneous handshakes arrive, and an overflow costs each client a 1 s SYN retry.
 */
const LISTEN_BACKLOG = 65535;

export class TcpServer {
  private server: Server | undefined;
  private readonly clients = new Map<number, Session>();
  /** Clients being served per address group (see address-group.ts). */
  private readonly perAddress = new Map<string, number>();
  private nextClientId = 1;
  private address: { host: string; port: number } | undefined;

  /** Over TLS, our certificate's fingerprint, which v3 binds into its handshake (server-identity.ts). */
  private readonly identity: Uint8Array | undefined;

  constructor(private options: TcpServerOptions) {
    this.identity = options.tls ? fingerprintBytes(certificateFingerprint(options.tls.cert)) : undefined;
  }

  get listening(): { host: string; port: number } | undefined {
    return this.address;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Starts listening; port 0 picks a free port, reported in the result. */
  listen(): Promise<{ ok: true; host: string; port: number } | { ok: false; error: LinkError }> {
    const { host, port } = this.options;
    const tls = this.options.tls;
    const server = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key, minVersion: TLS_MIN_VERSION, noDelay: true }, (socket) => this.onConnection(socket))
      : createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.onConnection(withSharedBufferReads(socket)));
    // A client that fails the TLS handshake never becomes a session: log why.
    if (tls) server.on('tlsClientError', (error, socket) => this.onTlsClientError(error, socket));
    this.server = server;
    return new Promise((resolve) => {
      const onError = (error: Error) => {
        this.server = undefined;
        resolve({ ok: false, error: linkErrorFromNode(error, formatHostPort(host, port)) });
      };
      server.once('error', onError);
      server.listen({ host, port, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', onError);
        server.on('error', () => {}); // after listen, errors come per socket
        const bound = server.address();
        const actualPort = typeof bound === 'object' && bound ? bound.port : port;
        this.address = { host, port: actualPort };
        this.options.observer?.({ kind: 'listening', host, port: actualPort });
        resolve({ ok: true, host, port: actualPort });
      });
    });
  }

  /** Stops listening and disconnects every client. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.address = undefined;
    for (const session of this.clients.values()) session.close();
    this.clients.clear();
    this.perAddress.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.options.observer?.({ kind: 'stopped' });
  }

  clientList(): ClientInfo[] {
    return [...this.clients.entries()].map(([clientId, s]) => ({
      clientId,
      peer: s.peer,
      since: s.openedAt,
      ...s.stats,
    }));
  }

  session(clientId: number): Session | undefined {
    return this.clients.get(clientId);
  }

  disconnect(clientId: number): boolean {
    const session = this.clients.get(clientId);
    session?.close();
    return Boolean(session);
  }

  setAutoAck(on: boolean): void {
    this.options = { ...this.options, session: { ...this.options.session, autoAck: on } };
    for (const session of this.clients.values()) session.setAutoAck(on);
  }

  /** Sends a message to every client; resolves with how many got it. */
  async broadcast(payload: Uint8Array): Promise<number> {
    const results = await Promise.all([...this.clients.values()].map((s) => s.sendMessage(payload)));
    return results.filter((r) => r.ok).length;
  }

  private onConnection(socket: Socket): void {
    const peer = formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const observer = this.options.observer;
    const group = addressGroup(socket.remoteAddress ?? '?');
    const refusal = this.refusalFor(peer, group);
    if (refusal) {
      socket.on('error', () => {});
      socket.destroy();
      observer?.({ kind: 'client-refused', peer, at: Date.now(), error: refusal });
      return;
    }
    const clientId = this.nextClientId++;
    const session = new Session(socket, {
      maxJunkBytes: SERVER_DEFAULTS.maxJunkBytes,
      ...this.options.session,
      ...(this.identity ? { serverIdentity: this.identity } : {}),
      peer,
      onFrameTimeout: 'close',
      traffic: this.options.traffic,
      observer: observer && ((event) => observer({ kind: 'session', clientId, peer, event })),
    });
    this.clients.set(clientId, session);
    this.perAddress.set(group, (this.perAddress.get(group) ?? 0) + 1);
    const idle = this.options.idleTimeoutMs ?? 0;
    if (idle > 0) {
      socket.setTimeout(idle, () =>
        session.close(linkError('LINK_ERR_IDLE_TIMEOUT', `${peer} was silent for ${idle / 1000} s and was disconnected.`)),
      );
    }
    const firstFrame = this.options.firstFrameTimeoutMs ?? SERVER_DEFAULTS.firstFrameTimeoutMs;
    const firstFrameTimer =
      firstFrame > 0
        ? setTimeout(() => {
            if (session.stats.packetsIn > 0) return;
            const seconds = firstFrame / 1000;
            session.close(linkError('LINK_ERR_FIRST_FRAME_TIMEOUT', `${peer} sent no complete MSP frame within ${seconds} s of connecting, so it was disconnected.`));
          }, firstFrame)
        : undefined;
    socket.once('close', () => {
      clearTimeout(firstFrameTimer);
      this.clients.delete(clientId);
      const left = (this.perAddress.get(group) ?? 1) - 1;
      if (left > 0) this.perAddress.set(group, left);
      else this.perAddress.delete(group);
      observer?.({ kind: 'client-closed', clientId, peer, at: Date.now() });
    });
    observer?.({ kind: 'client-open', clientId, peer, at: Date.now() });
  }

  /** Why a new client may not be served (a limit is reached), or undefined when it may. */
  private refusalFor(peer: string, group: string): LinkError | undefined {
    const max = this.options.maxConnections ?? SERVER_DEFAULTS.maxConnections;
    if (this.clients.size >= max) {
      return linkError('LINK_ERR_TOO_MANY_CONNECTIONS', `Refused ${peer}: already serving ${max} clients (the limit).`);
    }
    const perAddress = this.options.maxPerAddress ?? SERVER_DEFAULTS.maxPerAddress;
    if (perAddress > 0 && (this.perAddress.get(group) ?? 0) >= perAddress) {
      const from = group.endsWith('/64') ? `its network (${group})` : 'its address';
      return linkError(
        'LINK_ERR_TOO_MANY_FROM_ADDRESS',
        `Refused ${peer}: already serving ${perAddress} clients from ${from}, the per-address limit (--max-per-address).`,
      );
    }
    return undefined;
  }

  /** Not a TLS 1.3 client (plain MSP, an old TLS) or it gave up on our certificate. */
  private onTlsClientError(error: Error, socket: Socket): void {
    // A client that hung up is gone, address and all.
    const peer = socket.remoteAddress ? formatHostPort(socket.remoteAddress, socket.remotePort ?? 0) : 'a client';
    const hungUp = (error as NodeJS.ErrnoException).code === 'ECONNRESET';
    const message = hungUp
      ? `TLS handshake with ${peer} failed: it hung up, perhaps rejecting our certificate (not the fingerprint it pinned, or self-signed).`
      : `TLS handshake with ${peer} failed (${error.message.split('\n')[0]}): it may not use TLS 1.3, or not TLS at all.`;
    this.options.observer?.({ kind: 'client-refused', peer, at: Date.now(), error: linkError('LINK_ERR_TLS_HANDSHAKE', message) });
  }
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
