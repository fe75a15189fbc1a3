/**
 * The app on a serial port: one SerialLink (a sender, like a TCP client, or a responder, like
 * a TCP server), whose states (opening, open, reopening, and why it ended) become the status.
 */
import type { SerialOpenRequest, SerialSignals } from '../../../../shared/ipc/serial.ts';
import { appError, fail, ok, type Result } from '../../../../shared/result.ts';
import type { SerialLink } from '../../link/serial-link.ts';
import type { Session } from '../../link/session.ts';
import { serialLinkSecurity } from '../link-security.ts';
import { createSerialLink, serialLinkStatus } from '../serial-backend.ts';
import { TrafficTranslator } from '../traffic-translator.ts';
import { FRAME_TIMEOUT_MS, type AppLink, type LinkContext } from './app-link.ts';
import { HandshakeWatch } from './handshake-watch.ts';

export async function openSerialAppLink(request: SerialOpenRequest, ctx: LinkContext): Promise<Result<AppLink>> {
  const secured = await serialLinkSecurity(request, ctx.secrets, ctx.security);
  if (!secured.ok) return secured;
  if (ctx.signal.aborted) return fail(appError('APP_ERR_CANCELLED', 'Opening the port was cancelled.'));
  const { security, version, handshake, summary } = secured.value;
  const translator = new TrafficTranslator(request.path);
  const handshakeEnd = new HandshakeWatch(request.path);
  let since: number | undefined;
  let lastStatus: ReturnType<typeof serialLinkStatus>['status'] | undefined;
  const serial: SerialLink = createSerialLink(request, {
    ackTimeoutMs: ctx.ackTimeoutMs,
    frameTimeoutMs: FRAME_TIMEOUT_MS,
    reopenIntervalMs: ctx.serialReopenIntervalMs,
    driver: ctx.serialDriver,
    security,
    version,
    packetHook: ctx.packetHook,
    services: ctx.services?.({ role: request.role === 'responder' ? 'server' : 'client', serialMaxPacket: request.maxPacketSize }) ?? [],
    onSession: (event) => {
      handshakeEnd.observe(event);
      if (ctx.signal.aborted) return;
      ctx.traffic(event, translator);
      if (event.kind === 'security' && lastStatus?.state === 'serial') {
        lastStatus = { ...lastStatus, lock: event.security.lock };
        ctx.status(lastStatus);
      }
    },
    onState: (event) => {
      if (ctx.signal.aborted) return;
      if (event.state === 'open') since = event.at; // a reopened port is open since it came back
      const lock = serial.session?.securityState.lock;
      const { status, ended } = serialLinkStatus(event, request, since, { ...(lock ? { lock } : {}), ...(summary ? { summary } : {}) });
      lastStatus = status;
      if (ended) ctx.ended(status);
      else ctx.status(status);
    },
  });
  const link = new SerialAppLink(serial);
  const opened = await serial.open();
  if (!opened.ok) return fail(appError(opened.error.code, opened.error.message));
  if (handshake) {
    // As a TCP client: open means DATA can go, so a v3 sender waits for its handshake (wrong password, no answer...).
    const failed = await handshakeEnd.done;
    if (failed) {
      if (!ctx.signal.aborted) {
        await serial.close();
        ctx.ended({ state: 'error', error: failed });
      }
      return fail(failed);
    }
  }
  if (ctx.signal.aborted) {
    await serial.close();
    return fail(appError('APP_ERR_CANCELLED', 'Opening the port was cancelled.'));
  }
  return ok(link);
}

class SerialAppLink implements AppLink {
  constructor(private readonly serial: SerialLink) {}

  targets(): Result<Session[]> {
    const session = this.serial.session;
    return session ? ok([session]) : fail(appError('APP_ERR_NOT_CONNECTED', 'The serial port is not open: wait for it to come back, or open it again.'));
  }

  /** Measured as the port will carry it: framed, and padded or sealed by this session's channel. */
  checkMessage(payload: Uint8Array): Result<null> {
    const fits = this.serial.checkMessageSize(payload);
    return fits.ok ? ok(null) : fail(appError(fits.error.code, fits.error.message));
  }

  clients() {
    return [];
  }

  disconnect(): Result<null> {
    return fail(appError('APP_ERR_NOT_LISTENING', 'The server is not running.'));
  }

  /** A serial link's ACKs follow its role (a responder ACKs, a sender does not), not the server panel's switch. */
  setAutoAck(): void {}

  async setSignals(lines: SerialSignals): Promise<Result<null>> {
    const result = await this.serial.setSignals(lines);
    return result.ok ? ok(null) : fail(appError(result.error.code, result.error.message));
  }

  async close(): Promise<void> {
    await this.serial.close();
  }
}
