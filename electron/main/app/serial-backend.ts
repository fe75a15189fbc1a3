/**
 * The serial part of the app's backend: what the serial panel offers on this computer,
 * the port list, the SerialLink for a `serial.open` request, and how the link's states
 * become the LinkStatus the header shows. AppBackend holds the link and routes its
 * session events through the same translator, batcher and rates as a TCP session.
 */
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import type { SerialLinkStatus, SerialOpenRequest, SerialOptions, SerialPortEntry } from '../../../shared/ipc/serial.ts';
import type { LinkStatus } from '../../../shared/ipc/types.ts';
import { SerialLink, type SerialLinkEvent } from '../link/serial-link.ts';
import { listSerialPorts, type SerialDriver } from '../link/serial-port.ts';
import { SERIAL_PRESETS } from '../link/serial-presets.ts';
import { describeLine, serialCapabilities,  } from '../link/serial-settings.ts';
import { STANDARD_BAUD_RATES } from '../../../shared/serial/options.ts';
import type { Security, SessionEvent } from '../link/session.ts';
import type { PacketHook } from '../link/packet-hook.ts';
import type { Service } from '../link/services/service.ts';
import type { SecurityLock, ServerSecuritySummary } from '../../../shared/ipc/security.ts';

/** The real driver's limits: what the form greys out. Always this process's platform. */
export function serialOptions(platform: NodeJS.Platform = process.platform): SerialOptions {
  const can = serialCapabilities(platform);
  return {
    platformName: can.platformName,
    parities: [...can.parities],
    stopBits: [...can.stopBits],
    standardBaudRates: [...STANDARD_BAUD_RATES],
    presets: SERIAL_PRESETS.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      line: { ...p.line },
      packetGapMs: p.packetGapMs,
      maxPacketSize: p.maxPacketSize,
    })),
  };
}

export async function serialPortList(driver?: SerialDriver): Promise<Result<SerialPortEntry[]>> {
  const listed = await listSerialPorts(driver);
  if (!listed.ok) return fail(appError(listed.error.code, listed.error.message));
  return ok(
    listed.value.map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({
      path,
      ...(manufacturer ? { manufacturer } : {}),
      ...(serialNumber ? { serialNumber } : {}),
      ...(vendorId ? { vendorId } : {}),
      ...(productId ? { productId } : {}),
    })),
  );
}

export interface SerialLinkHooks {
  ackTimeoutMs?: number;
  frameTimeoutMs: number;
  reopenIntervalMs?: number;
  driver?: SerialDriver;
  /** The session's security and VERSION (see serialLinkSecurity); plain when left out. */
  security?: Security;
  version?: number;
  /** The auto-responder's rules (see LinkContext.packetHook). */
  packetHook?: PacketHook;
  /** Services the port's sessions offer (file transfer). */
  services?: ReadonlyArray<() => Service>;
  onSession(event: SessionEvent): void;
  onState(event: Extract<SerialLinkEvent, { kind: 'state' }>): void;
}

export function createSerialLink(request: SerialOpenRequest, hooks: SerialLinkHooks): SerialLink {
  return new SerialLink({
    settings: {
      path: request.path,
      baudRate: request.baudRate,
      dataBits: request.dataBits,
      parity: request.parity,
      stopBits: request.stopBits,
      flowControl: request.flowControl,
      ...(request.dtr !== undefined ? { dtr: request.dtr } : {}),
      // Under RTS/CTS the driver owns RTS: switching it by hand is refused.
      ...(request.rts !== undefined && request.flowControl !== 'rts-cts' ? { rts: request.rts } : {}),
    },
    session: {
      // A responder answers DATA with ACK "OK" like `msp --mode server`; a sender does not.
      autoAck: request.role === 'responder',
      ackTimeoutMs: hooks.ackTimeoutMs,
      frameTimeoutMs: hooks.frameTimeoutMs,
      maxPacketSize: request.maxPacketSize,
      packetGapMs: request.packetGapMs,
      ...(hooks.security ? { security: hooks.security } : {}),
      ...(hooks.version !== undefined ? { version: hooks.version } : {}),
      ...(hooks.packetHook ? { packetHook: hooks.packetHook } : {}),
      ...(hooks.services ? { services: hooks.services } : {}),
    },
    reopen: request.reopen,
    // A responder stays up when one peer gets the password wrong: the next try uses the same wire.
    renewSessionOnFailure: request.role === 'responder',
    reopenIntervalMs: hooks.reopenIntervalMs,
    driver: hooks.driver,
    observer: (event) => (event.kind === 'session' ? hooks.onSession(event.event) : hooks.onState(event)),
  });
}

/**
 * What the header says for a state change. `ended` is true when the link is over (closed,
 * failed, or unplugged with no reopening): the backend then lets go of it.
 */
export function serialLinkStatus(
  event: Extract<SerialLinkEvent, { kind: 'state' }>,
  request: SerialOpenRequest,
  since: number | undefined,
  security: { lock?: SecurityLock; summary?: ServerSecuritySummary } = {},
): { status: LinkStatus; ended: boolean } {
  const base: Omit<SerialLinkStatus, 'phase'> = {
    state: 'serial',
    path: request.path,
    line: describeLine(request),
    role: request.role,
    packetGapMs: request.packetGapMs,
    maxPacketSize: request.maxPacketSize,
    ...(security.summary ? { security: security.summary } : {}),
  };
  switch (event.state) {
    case 'opening':
      return { status: { ...base, phase: 'opening' }, ended: false };
    case 'open':
      return { status: { ...base, phase: 'open', since: since ?? event.at, ...(security.lock ? { lock: security.lock } : {}) }, ended: false };
    case 'disconnected':
      if (event.reopening) {
        return { status: { ...base, phase: 'reopening', ...(event.error ? { error: event.error } : {}) }, ended: false };
      }
      return { status: event.error ? { state: 'error', error: event.error } : { state: 'idle' }, ended: true };
    case 'closed':
      return { status: event.error ? { state: 'error', error: event.error } : { state: 'idle' }, ended: true };
  }
}
