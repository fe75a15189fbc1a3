/** Connects to an MSP server over TCP, or TLS 1.3, and hands back a Session. */
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';
import { Session, type SessionOptions } from './session.ts';
import { fingerprintBytes } from './server-identity.ts';
import { formatHostPort } from './tcp-server.ts';
import { sharedBufferReads } from './shared-read-buffer.ts';
import { checkPinnedCertificate, tlsConnectOptions, tlsErrorFromNode, type TlsClientOptions } from './tls.ts';

export interface TcpClientOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  session: Omit<SessionOptions, 'peer'>;
  /** Use TLS 1.3: pin the server's certificate fingerprint, or check it against the trust store. */
  tls?: TlsClientOptions;
}

export type TcpConnectResult = { ok: true; session: Session } | { ok: false; error: LinkError };

export function connectTcp(options: TcpClientOptions): Promise<TcpConnectResult> {
  const where = formatHostPort(options.host, options.port);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const tls = options.tls;
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? connectTls({ host: options.host, port: options.port, ...tlsConnectOptions(options.host, tls) })
      : connect({ host: options.host, port: options.port, noDelay: true, onread: sharedBufferReads(() => socket) });
    let tcpConnected = false;
    if (tls) {
      socket.once('connect', () => {
        tcpConnected = true;
        socket.setNoDelay(true);
      });
    }
    const timer = setTimeout(() => {
      socket.destroy();
      const what = tls && tcpConnected ? `waiting for the TLS handshake with ${where}: does the server use TLS?` : `connecting to ${where}.`;
      resolve({ ok: false, error: linkError('LINK_ERR_CONNECT_TIMEOUT', `Timed out after ${timeoutMs / 1000} s ${what}`) });
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: tls ? tlsErrorFromNode(error, where) : linkErrorFromNode(error, where) });
    });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      // A pinned certificate is checked before a single MSP byte goes out.
      const wrong = tls?.fingerprint !== undefined ? checkPinnedCertificate(socket as TLSSocket, tls.fingerprint, where) : undefined;
      if (wrong) {
        socket.destroy();
        return resolve({ ok: false, error: wrong });
      }
      socket.removeAllListeners('error');
      // Inside TLS, v3 binds the certificate we pinned or verified (server-identity.ts).
      const certificate = tls ? (socket as TLSSocket).getPeerCertificate()?.fingerprint256 : undefined;
      const session = certificate
        ? { ...options.session, serverIdentity: fingerprintBytes(certificate) }
        : options.session;
      resolve({ ok: true, session: new Session(socket, { ...session, peer: where }) });
    });
  });
}
