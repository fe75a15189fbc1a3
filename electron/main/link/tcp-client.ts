/** Connects to an MSP server over TCP and hands back a Session. */
import { connect } from 'node:net';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';
import { Session, type SessionOptions } from './session.ts';
import { formatHostPort } from './tcp-server.ts';

export interface TcpClientOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  session: Omit<SessionOptions, 'peer'>;
}

export type TcpConnectResult = { ok: true; session: Session } | { ok: false; error: LinkError };

export function connectTcp(options: TcpClientOptions): Promise<TcpConnectResult> {
  const where = formatHostPort(options.host, options.port);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const socket = connect({ host: options.host, port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({
        ok: false,
        error: linkError('LINK_ERR_CONNECT_TIMEOUT', `Timed out after ${timeoutMs / 1000} s connecting to ${where}.`),
      });
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: linkErrorFromNode(error, where) });
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({ ok: true, session: new Session(socket, { ...options.session, peer: where }) });
    });
  });
}
