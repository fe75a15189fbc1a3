/** MSP v3 sessions for tests: in-memory links and a relay that can play the attacker. */
import type { Duplex } from 'node:stream';
import { passwordServerSecurity, type PasswordServerOptions } from '../../electron/main/link/crypto/password-server-channel.ts';
import { v3ClientSecurity } from '../../electron/main/link/crypto/v3/client-channel.ts';
import { Session, type Security, type SessionEvent, type SessionOptions } from '../../electron/main/link/session.ts';
import { duplexPair } from './duplex.ts';

/** Every channel of `security` told this server identity, as a TLS link tells it (Session's serverIdentity). */
function withServerIdentity(security: Security, serverIdentity: Uint8Array): Security {
  return { create: (peer, context) => security.create(peer, { ...context, serverIdentity }) };
}

/** `serverIdentity` plays what a TLS link would pass: the certificate fingerprint this side knows. */
export function v3Client(password: string, options: { timeoutMs?: number; serverIdentity?: Uint8Array } = {}): Security {
  const security = v3ClientSecurity({ password, timeoutMs: options.timeoutMs ?? 5000 });
  return options.serverIdentity ? withServerIdentity(security, options.serverIdentity) : security;
}

export function passwordServer(password: string, options: Partial<PasswordServerOptions> & { serverIdentity?: Uint8Array } = {}): Security {
  const { serverIdentity, ...rest } = options;
  const security = passwordServerSecurity({ password, ...rest });
  return serverIdentity ? withServerIdentity(security, serverIdentity) : security;
}

/** Bytes from client to server pass through `tamper` (one call per write): the attacker's seat. */
export interface Relay {
  tamper: ((chunk: Buffer) => Buffer[]) | undefined;
  /** The same for server to client. */
  tamperToClient: ((chunk: Buffer) => Buffer[]) | undefined;
  /** The attacker writes its own bytes to the server, or to the client. */
  toServer(bytes: Uint8Array): void;
  toClient(bytes: Uint8Array): void;
  /** Ends the client-to-server direction (the server sees end of stream). */
  endToServer(): void;
}

export interface Linked {
  client: Session;
  server: Session;
  clientEvents: SessionEvent[];
  serverEvents: SessionEvent[];
  relay: Relay;
}

type Side = Omit<SessionOptions, 'peer' | 'observer' | 'autoAck'> & { autoAck?: boolean };

/** A client and a server Session over an in-memory link with a relay in the middle. */
export function link(client: Side, server: Side): Linked {
  const [clientEnd, relayA] = duplexPair();
  const [relayB, serverEnd] = duplexPair();
  const relay: Relay = {
    tamper: undefined,
    tamperToClient: undefined,
    toServer: (bytes) => relayB.write(bytes),
    toClient: (bytes) => relayA.write(bytes),
    endToServer: () => relayB.end(),
  };
  relayA.on('data', (chunk: Buffer) => {
    for (const part of relay.tamper ? relay.tamper(chunk) : [chunk]) relayB.write(part);
  });
  relayB.on('data', (chunk: Buffer) => {
    for (const part of relay.tamperToClient ? relay.tamperToClient(chunk) : [chunk]) relayA.write(part);
  });
  relayA.on('end', () => relayB.end());
  relayB.on('end', () => relayA.end());
  const clientEvents: SessionEvent[] = [];
  const serverEvents: SessionEvent[] = [];
  return {
    client: session(clientEnd, 'server', client, clientEvents),
    server: session(serverEnd, 'client', server, serverEvents),
    clientEvents,
    serverEvents,
    relay,
  };
}

function session(stream: Duplex, peer: string, side: Side, events: SessionEvent[]): Session {
  return new Session(stream, { autoAck: true, ...side, peer, observer: (e) => events.push(e) });
}

/** Messages a session delivered: incoming packets that carried a plaintext and were not refused. */
export function delivered(events: SessionEvent[], type?: number): Array<{ text: string; raw: Uint8Array }> {
  return events.flatMap((e) =>
    e.kind === 'packet' && e.dir === 'in' && e.plaintext && !e.rejected && (type === undefined || e.packet.type === type)
      ? [{ text: Buffer.from(e.plaintext).toString(), raw: e.raw }]
      : [],
  );
}

export function rejections(events: SessionEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'packet' && e.rejected ? [e.rejected.code] : []));
}
