/** The app listening for MSP clients over TCP (or TLS): a session per client. */
import type { BindAddress, SendRequest } from '../../../../shared/ipc/schemas.ts';
import type { ServerSecurity, ServerSecuritySummary } from '../../../../shared/ipc/security.ts';
import type { LinkStatus } from '../../../../shared/ipc/types.ts';
import { appError, fail, ok, type Result } from '../../../../shared/result.ts';
import type { Session } from '../../link/session.ts';
import { TcpServer, type ServerEvent } from '../../link/tcp-server.ts';
import { serverLinkSecurity } from '../link-security.ts';
import type { TransportLock } from '../packet-lock.ts';
import { TrafficTranslator } from '../traffic-translator.ts';
import { FRAME_TIMEOUT_MS, type AppLink, type LinkContext } from './app-link.ts';

export interface TcpServerRequest {
  bind: BindAddress;
  port: number;
  security?: ServerSecurity;
}

export async function openTcpServerLink(request: TcpServerRequest, ctx: LinkContext): Promise<Result<AppLink>> {
  const secured = await serverLinkSecurity(request.security, ctx.secrets, ctx.security);
  if (!secured.ok) return secured;
  const { security, version, tls, summary } = secured.value;
  const transport: TransportLock = tls ? 'tls' : 'none';
  const translators = new Map<number, TrafficTranslator>();
  let link: TcpServerLink | undefined;
  const server = new TcpServer({
    host: request.bind,
    port: request.port,
    session: {
      autoAck: ctx.autoAck,
      ackTimeoutMs: ctx.ackTimeoutMs,
      frameTimeoutMs: FRAME_TIMEOUT_MS,
      security,
      version,
      packetHook: ctx.packetHook,
      services: ctx.services?.({ role: 'server' }) ?? [],
    },
    observer: (event) => {
      if (!ctx.signal.aborted) link?.onServerEvent(event, translators, transport);
    },
    ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
  });
  const result = await server.listen();
  if (!result.ok) {
    ctx.status({ state: 'error', error: result.error });
    return fail(appError(result.error.code, result.error.message));
  }
  if (ctx.signal.aborted) {
    await server.stop();
    return fail(appError('APP_ERR_CANCELLED', 'Starting the server was cancelled.'));
  }
  link = new TcpServerLink(server, ctx, { bind: request.bind, port: result.port, since: Date.now(), security: summary });
  ctx.status(link.status());
  return ok(link);
}

class TcpServerLink implements AppLink {
  constructor(
    private readonly server: TcpServer,
    private readonly ctx: LinkContext,
    private readonly listening: { bind: BindAddress; port: number; since: number; security: ServerSecuritySummary },
  ) {}

  status(): LinkStatus {
    return { state: 'listening', ...this.listening, clients: this.server.clientCount };
  }

  targets(to: SendRequest['to']): Result<Session[]> {
    if (to === undefined || to === 'all') {
      const all = this.server.clientList().flatMap((c) => this.server.session(c.clientId) ?? []);
      return all.length > 0 ? ok(all) : fail(appError('APP_ERR_NO_CLIENTS', 'No client is connected to send to.'));
    }
    const session = this.server.session(to);
    return session ? ok([session]) : fail(appError('APP_ERR_NO_SUCH_CLIENT', 'That client has disconnected.'));
  }

  checkMessage(): Result<null> {
    return ok(null);
  }

  clients() {
    return this.server.clientList();
  }

  disconnect(clientId: number): Result<null> {
    return this.server.disconnect(clientId) ? ok(null) : fail(appError('APP_ERR_NO_SUCH_CLIENT', 'That client has already disconnected.'));
  }

  setAutoAck(on: boolean): void {
    this.server.setAutoAck(on);
  }

  async close(): Promise<void> {
    await this.server.stop();
    this.ctx.clientsChanged(); // none any more: the panel's list empties
  }

  onServerEvent(event: ServerEvent, translators: Map<number, TrafficTranslator>, transport: TransportLock): void {
    switch (event.kind) {
      case 'session': {
        let translator = translators.get(event.clientId);
        if (!translator) {
          translator = new TrafficTranslator(event.peer, event.clientId, transport);
          translators.set(event.clientId, translator);
        }
        this.ctx.traffic(event.event, translator);
        return;
      }
      case 'client-open':
      case 'client-closed':
        if (event.kind === 'client-closed') translators.delete(event.clientId);
        this.ctx.clientsChanged();
        this.ctx.status(this.status());
        return;
      default:
        return;
    }
  }
}
