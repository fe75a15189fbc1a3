/**
 * A TCP-to-serial bridge: MSP packets that arrive whole on one side are sent on the
 * other, so a machine on the LAN can talk to a retro PC on a COM port. The bridge does
 * not ACK anything itself: the far end's ACK travels back like any other packet, so the
 * sender's ACK still means the real receiver got it. Junk and broken frames stop at the
 * side they arrived on (each side resyncs on its own), and both sides are reported.
 */
import { fail, ok, type Result } from '../../../shared/result.ts';
import { linkError, type LinkError } from './errors.ts';
import { SerialLink, type SerialLinkEvent, type SerialLinkOptions } from './serial-link.ts';
import type { Session, SessionEvent, SessionOptions } from './session.ts';
import { connectTcp } from './tcp-client.ts';
import { TcpServer, formatHostPort, type ServerEvent } from './tcp-server.ts';

export type BridgeTcpSide =
  /** Listen for one TCP peer at a time (a second one is refused while the first is connected). */
  | { role: 'listen'; host: string; port: number }
  /** Connect to an MSP server once; the bridge stops if that connection ends. */
  | { role: 'connect'; host: string; port: number; connectTimeoutMs?: number };

export interface BridgeOptions {
  tcp: BridgeTcpSide;
  serial: Omit<SerialLinkOptions, 'session' | 'observer'> & {
    /** Largest packet the serial side sends or accepts (a preset's limit); bigger ones are dropped, with an event. */
    maxPacketSize?: number;
    packetGapMs?: number;
  };
  /** Settings for both sides' sessions (timeouts); auto-ACK is always off in a bridge. */
  session?: Omit<SessionOptions, 'peer' | 'observer' | 'autoAck' | 'maxPacketSize' | 'packetGapMs' | 'traffic'>;
  observer?: (event: BridgeEvent) => void;
}

export type BridgeTcpEvent =
  | { kind: 'listening'; host: string; port: number }
  | { kind: 'peer-open'; peer: string; at: number }
  | { kind: 'peer-refused'; peer: string; at: number; error: LinkError }
  | { kind: 'peer-closed'; peer: string; at: number; error?: LinkError }
  | { kind: 'session'; peer: string; event: SessionEvent };

export type BridgeEvent =
  | { kind: 'tcp'; event: BridgeTcpEvent }
  | { kind: 'serial'; event: SerialLinkEvent }
  /** A whole packet that could not be forwarded: `from` is the side it arrived on. */
  | { kind: 'dropped'; from: 'tcp' | 'serial'; at: number; raw: Uint8Array; error: LinkError }
  /** The bridge ended: stop() was called, or a side it cannot do without went away (`error`). */
  | { kind: 'stopped'; at: number; error?: LinkError };

export class Bridge {
  readonly serial: SerialLink;
  private server: TcpServer | undefined;
  private tcpPeer: Session | undefined;
  private running = false;
  private stoppedResolve!: (error: LinkError | undefined) => void;
  /** Settles when the bridge ends, with the reason if it was not stop(). */
  readonly stopped: Promise<LinkError | undefined> = new Promise((resolve) => (this.stoppedResolve = resolve));

  constructor(private readonly options: BridgeOptions) {
    const { maxPacketSize, packetGapMs, ...serial } = options.serial;
    this.serial = new SerialLink({
      ...serial,
      session: { ...options.session, autoAck: false, traffic: true, maxPacketSize, packetGapMs },
      observer: (event) => this.onSerialEvent(event),
    });
  }

  /** Opens the serial port, then the TCP side; resolves with where TCP listens (or connected). */
  async start(): Promise<Result<{ host: string; port: number }, LinkError>> {
    this.running = true;
    const opened = await this.serial.open();
    if (!opened.ok) return this.failStart(opened.error);
    const tcp = this.options.tcp;
    if (tcp.role === 'listen') {
      const server = new TcpServer({
        host: tcp.host,
        port: tcp.port,
        maxConnections: 1,
        session: { ...this.options.session, autoAck: false },
        observer: (event) => this.onServerEvent(server, event),
      });
      this.server = server;
      const listening = await server.listen();
      if (!listening.ok) return this.failStart(listening.error);
      return ok({ host: listening.host, port: listening.port });
    }
    const peer = formatHostPort(tcp.host, tcp.port);
    const connected = await connectTcp({
      host: tcp.host,
      port: tcp.port,
      connectTimeoutMs: tcp.connectTimeoutMs,
      session: { ...this.options.session, autoAck: false, observer: (event) => this.onTcpSessionEvent(peer, event) },
    });
    if (!connected.ok) return this.failStart(connected.error);
    this.tcpPeer = connected.session;
    this.emit({ kind: 'tcp', event: { kind: 'peer-open', peer, at: Date.now() } });
    return ok({ host: tcp.host, port: tcp.port });
  }

  /** Closes both sides. */
  async stop(error?: LinkError): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.tcpPeer?.close();
    this.tcpPeer = undefined;
    await Promise.all([this.server?.stop(), this.serial.close()]);
    this.emit({ kind: 'stopped', at: Date.now(), ...(error ? { error } : {}) });
    this.stoppedResolve(error);
  }

  private async failStart(error: LinkError): Promise<Result<never, LinkError>> {
    await this.stop(error);
    return fail(error);
  }

  private onServerEvent(server: TcpServer, e: ServerEvent): void {
    switch (e.kind) {
      case 'listening':
        return this.emit({ kind: 'tcp', event: { kind: 'listening', host: e.host, port: e.port } });
      case 'client-open':
        this.tcpPeer = server.session(e.clientId);
        return this.emit({ kind: 'tcp', event: { kind: 'peer-open', peer: e.peer, at: e.at } });
      case 'client-refused': {
        const error = linkError('LINK_ERR_TOO_MANY_CONNECTIONS', `Refused ${e.peer}: the bridge serves one TCP peer at a time and one is connected.`);
        return this.emit({ kind: 'tcp', event: { kind: 'peer-refused', peer: e.peer, at: e.at, error } });
      }
      case 'client-closed':
        if (this.tcpPeer?.isClosed) this.tcpPeer = undefined;
        return this.emit({ kind: 'tcp', event: { kind: 'peer-closed', peer: e.peer, at: e.at, ...(e.error ? { error: e.error } : {}) } });
      case 'session':
        return this.onTcpSessionEvent(e.peer, e.event);
      case 'stopped':
        return;
    }
  }

  private onTcpSessionEvent(peer: string, event: SessionEvent): void {
    this.emit({ kind: 'tcp', event: { kind: 'session', peer, event } });
    if (event.kind === 'packet' && event.dir === 'in') this.toSerial(event.raw, event);
    // In the connect role the one TCP connection is the bridge's reason to exist.
    if (event.kind === 'closed' && this.options.tcp.role === 'connect' && this.running) {
      this.emit({ kind: 'tcp', event: { kind: 'peer-closed', peer, at: event.at, ...(event.error ? { error: event.error } : {}) } });
      void this.stop(event.error ?? linkError('LINK_ERR_CLOSED', `The MSP server at ${peer} closed the connection.`));
    }
  }

  private onSerialEvent(event: SerialLinkEvent): void {
    this.emit({ kind: 'serial', event });
    if (event.kind === 'session' && event.event.kind === 'packet' && event.event.dir === 'in') {
      this.toTcp(event.event.raw, event.event);
    }
    if (event.kind === 'state' && event.state === 'disconnected' && !event.reopening && this.running) {
      void this.stop(event.error);
    }
  }

  private toSerial(raw: Uint8Array, event: Extract<SessionEvent, { kind: 'packet' }>): void {
    const session = this.serial.session;
    const max = this.options.serial.maxPacketSize;
    if (!session) {
      return this.drop('tcp', raw, linkError('LINK_ERR_CLOSED', `Not forwarded: serial port ${this.serial.path} is not open.`));
    }
    if (max !== undefined && raw.length > max) {
      return this.drop('tcp', raw, linkError('LINK_ERR_PACKET_TOO_LARGE', `Not forwarded: a ${raw.length}-byte packet is over the serial side's limit of ${max} bytes.`));
    }
    session.sendPacket(event.packet);
  }

  private toTcp(raw: Uint8Array, event: Extract<SessionEvent, { kind: 'packet' }>): void {
    const peer = this.tcpPeer;
    if (!peer || peer.isClosed) return this.drop('serial', raw, linkError('LINK_ERR_CLOSED', 'Not forwarded: no TCP peer is connected to the bridge.'));
    peer.sendPacket(event.packet);
  }

  private drop(from: 'tcp' | 'serial', raw: Uint8Array, error: LinkError): void {
    this.emit({ kind: 'dropped', from, at: Date.now(), raw, error });
  }

  private emit(event: BridgeEvent): void {
    this.options.observer?.(event);
  }
}
