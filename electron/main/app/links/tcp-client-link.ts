/** The app connected to an MSP server over TCP (or TLS): one session. */
import type { ClientSecurity } from '../../../../shared/ipc/security.ts';
import type { LinkStatus } from '../../../../shared/ipc/types.ts';
import { appError, fail, ok, type Result } from '../../../../shared/result.ts';
import { linkError } from '../../link/errors.ts';
import type { Session } from '../../link/session.ts';
import { connectTcp } from '../../link/tcp-client.ts';
import { formatHostPort } from '../../link/tcp-server.ts';
import { clientLinkSecurity } from '../link-security.ts';
import { TrafficTranslator } from '../traffic-translator.ts';
import { FRAME_TIMEOUT_MS, type AppLink, type LinkContext } from './app-link.ts';
import { HandshakeWatch } from './handshake-watch.ts';

export interface TcpClientRequest {
  host: string;
  port: number;
  security?: ClientSecurity;
}

export async function openTcpClientLink(request: TcpClientRequest, ctx: LinkContext): Promise<Result<AppLink>> {
  const { host, port } = request;
  const peer = formatHostPort(host, port);
  ctx.status({ state: 'connecting', host, port });
  const secured = await clientLinkSecurity(request.security, ctx.secrets, ctx.security);
  if (!secured.ok) {
    ctx.status({ state: 'idle' });
    return secured;
  }
  const { security, version, handshake, tls } = secured.value;
  const translator = new TrafficTranslator(peer, undefined, tls ? 'tls' : 'none');
  const handshakeEnd = new HandshakeWatch(peer);
  let status: LinkStatus | undefined;
  const result = await connectTcp({
    host,
    port,
    connectTimeoutMs: ctx.connectTimeoutMs,
    ...(tls ? { tls } : {}),
    session: {
      autoAck: ctx.autoAck,
      services: ctx.services?.({ role: 'client' }) ?? [],
      ackTimeoutMs: ctx.ackTimeoutMs,
      frameTimeoutMs: FRAME_TIMEOUT_MS,
      onFrameTimeout: 'resync',
      security,
      version,
      packetHook: ctx.packetHook,
      observer: (event) => {
        handshakeEnd.observe(event);
        if (ctx.signal.aborted) return;
        ctx.traffic(event, translator);
        if (event.kind === 'security' && status?.state === 'connected') {
          status = { ...status, lock: event.security.lock };
          ctx.status(status);
        }
        // The server went away once we were connected (we did not ask): say why, in plain words.
        // During the handshake its failure is the open's own answer.
        if (event.kind === 'closed' && status?.state === 'connected') {
          ctx.ended({ state: 'error', error: event.error ?? linkError('LINK_ERR_CLOSED', `${peer} closed the connection.`) });
        }
      },
    },
  });
  if (!result.ok) {
    if (!ctx.signal.aborted) ctx.status({ state: 'error', error: result.error });
    return fail(appError(result.error.code, result.error.message));
  }
  const session = result.session;
  if (handshake && !ctx.signal.aborted) {
    // Connected means DATA can go: a v3 client waits for its handshake (wrong password, no answer...).
    ctx.status({ state: 'connecting', host, port, securing: true });
    const failed = await handshakeEnd.done;
    if (failed && !ctx.signal.aborted) {
      session.close();
      ctx.status({ state: 'error', error: failed });
      return fail(failed);
    }
  }
  if (ctx.signal.aborted) {
    session.close();
    return fail(appError('APP_ERR_CANCELLED', 'Connecting was cancelled.'));
  }
  status = { state: 'connected', host, port, since: Date.now(), lock: session.securityState.lock };
  ctx.status(status);
  return ok(new TcpClientLink(session));
}

class TcpClientLink implements AppLink {
  constructor(private readonly session: Session) {}

  targets(): Result<Session[]> {
    return this.session.isClosed ? fail(appError('APP_ERR_NOT_CONNECTED', 'The connection is closed: connect again first.')) : ok([this.session]);
  }

  checkMessage(): Result<null> {
    return ok(null);
  }

  clients() {
    return [];
  }

  disconnect(): Result<null> {
    return fail(appError('APP_ERR_NOT_LISTENING', 'The server is not running.'));
  }

  setAutoAck(on: boolean): void {
    this.session.setAutoAck(on);
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
