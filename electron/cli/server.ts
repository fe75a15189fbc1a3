/**
 * `msp --mode server`: listens, prints each packet, ACKs DATA like the original. With a
 * password it speaks MSP v3 and msp-secure.py's scheme, and refuses plaintext DATA.
 */
import { readFileSync } from 'node:fs';
import { toHex } from '../../shared/msp/index.ts';
import { TcpServer, type ServerEvent } from '../main/link/tcp-server.ts';
import { selfSignedIdentity, tlsIdentity, type TlsIdentity } from '../main/link/tls.ts';
import type { ServerConfig } from './args.ts';
import { interrupted } from './interrupted.ts';
import { describePacket, describeSecurity, describeSkipped, describeSuppressed, type Printer } from './output.ts';
import { serverSecurityFromFlags } from './server-security.ts';
import { automationSessionOptions } from './automation-output.ts';
import { isFileTransferType } from '../../shared/msp/file-transfer.ts';
import { openReceiveFolder, transferServiceFactory } from './transfer.ts';
import { MAX_PACKET_SIZE } from '../../shared/msp/index.ts';
import { startRemoteControl } from './remote-server.ts';

export async function runServer(config: ServerConfig, print: Printer): Promise<number> {
  const stopRequested = interrupted(); // before "listening" is printed: see interrupted.ts
  const tls = await loadTls(config, print);
  if (tls === 'failed') return 2;
  const folder = await openReceiveFolder(config.transfer, print);
  if (folder === 'failed') return 2;
  const { security, version } = serverSecurityFromFlags(config, print);
  const remote = config.remote ? startRemoteControl(config.remote, print) : undefined;
  if (remote && !remote.ok) {
    print.error(`Error: ${remote.error}`);
    return 2;
  }
  const server = new TcpServer({
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    maxPerAddress: config.maxPerAddress,
    firstFrameTimeoutMs: config.firstFrameTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    session: {
      autoAck: true,
      version,
      security,
      frameTimeoutMs: config.frameTimeoutMs,
      maxQueuedBytes: config.maxQueuedBytes,
      maxJunkBytes: config.maxJunkBytes,
      ...automationSessionOptions(config.automation, print, config.quiet),
      ...(config.captureTap ? { capture: config.captureTap } : {}),
      // Only with --receive-dir: a session with services makes its service table at once, and a
      // server holds thousands of sessions. Without it a sender is told the server does not receive.
      // get-file and put-file need file transfer on every session even without --receive-dir (a bare offer is still refused).
      ...(folder || remote
        ? {
            services: [
              ...(folder || remote?.value.usesFileTransfer ? [transferServiceFactory(config.transfer, folder, print, config.json, MAX_PACKET_SIZE, false)] : []),
              ...(remote ? [remote.value.service] : []),
            ],
          }
        : {}),
    },
    traffic: !config.quiet,
    observer: serverPrinter(print, config.quiet),
    ...(tls ? { tls } : {}),
  });
  const started = await server.listen();
  if (!started.ok) {
    print.error(`Error: ${started.error.message}`);
    return started.error.code === 'LINK_ERR_HOST_NOT_FOUND' || started.error.code === 'LINK_ERR_ADDR_NOT_AVAILABLE' ? 2 : 1;
  }
  await stopRequested;
  remote?.value.stop();
  await server.stop();
  return 0;
}

/** The certificate to serve, announced with its fingerprint before the server listens. */
async function loadTls(config: ServerConfig, print: Printer): Promise<TlsIdentity | undefined | 'failed'> {
  if (!config.tls) return undefined;
  let identity: TlsIdentity;
  if ('selfSigned' in config.tls) {
    identity = await selfSignedIdentity();
  } else {
    let cert: string;
    let key: string;
    try {
      cert = readFileSync(config.tls.certFile, 'utf8');
      key = readFileSync(config.tls.keyFile, 'utf8');
    } catch (error) {
      print.error(`Error: cannot read the TLS certificate or key: ${(error as Error).message}`);
      return 'failed';
    }
    const loaded = tlsIdentity(cert, key);
    if (!loaded.ok) {
      print.error(`Error: ${loaded.error.message}`);
      return 'failed';
    }
    identity = loaded.value;
  }
  const selfSigned = 'selfSigned' in config.tls;
  print.event(
    'tls',
    { fingerprint: identity.fingerprint, self_signed: selfSigned },
    `TLS 1.3 with ${selfSigned ? 'a self-signed certificate made now' : 'the given certificate'}; SHA-256 fingerprint:\n` +
      `  ${identity.fingerprint}\nClients pin it with --tls-fingerprint ${identity.fingerprint.replaceAll(':', '')}`,
  );
  return identity;
}

/** In quiet mode only the listening line and what goes wrong with clients are printed. */
function serverPrinter(print: Printer, quiet: boolean): (e: ServerEvent) => void {
  /** Per client, the refusal just printed: the close it causes says the same, so it is not repeated. */
  const lastRefusal = new Map<number, string>();
  return (e) => {
    if (e.kind === 'session' && e.event.kind === 'packet' && e.event.rejected) lastRefusal.set(e.clientId, e.event.rejected.message);
    if (e.kind === 'session' && e.event.kind === 'closed' && e.event.error?.message === lastRefusal.get(e.clientId)) return;
    if (e.kind === 'client-closed') lastRefusal.delete(e.clientId);
    printServerEvent(e, print, quiet);
  };
}

export function printServerEvent(e: ServerEvent, print: Printer, quiet: boolean): void {
  if (quiet && (e.kind === 'client-open' || e.kind === 'client-closed')) return;
  switch (e.kind) {
    case 'listening':
      return print.event('listening', { host: e.host, port: e.port }, `Listening on ${e.host}:${e.port}`);
    case 'client-open':
      return print.event('connected', { peer: e.peer }, `[${e.peer}] connected`);
    case 'client-closed':
      return print.event('disconnected', { peer: e.peer }, `[${e.peer}] disconnected`);
    case 'client-refused':
      return print.event('refused', { peer: e.peer, code: e.error.code, message: e.error.message }, e.error.message);
    case 'stopped':
      return print.event('stopped', {}, 'Server stopped');
    case 'session': {
      const s = e.event;
      const peer = e.peer;
      // File transfer packets are reported by the transfer's own lines, not one by one.
      if (s.kind === 'packet' && isFileTransferType(s.serviceType) && !s.rejected) return;
      if (s.kind === 'packet') {
        const { fields, summary } = describePacket(s.packet, s.plaintext, s.serviceType);
        if (s.dir === 'in' && s.rejected) {
          // Printed even when quiet: a refused packet is something going wrong.
          const { code, message } = s.rejected;
          return print.event('rejected', { peer, ...fields, code, message }, `[${peer}] ${message}`);
        }
        if (s.dir === 'in' && s.decryptError) {
          return print.event('decrypt-failed', { peer, ...fields, message: s.decryptError }, `[${peer}] ${s.decryptError} (no ACK)`);
        }
        return print.event('packet', { peer, dir: s.dir, ...fields }, `[${peer}] ${s.dir === 'in' ? '<-' : '->'} ${summary}`);
      }
      if (s.kind === 'security') {
        if (quiet) return;
        const { lock, transport } = s.security;
        return print.event('secured', { peer, lock, transport }, `[${peer}] secure session: ${describeSecurity(s.security)}`);
      }
      if (s.kind === 'frame-error') {
        const expected = s.expectedCrc !== undefined ? { expected_crc: s.expectedCrc } : {};
        // `hex` is the frame's first bytes only (at most REJECT_PREFIX_BYTES); `length` is its span.
        const fields = { peer, code: s.code, message: s.message, length: s.length, hex: toHex(s.raw, ''), ...expected };
        return print.event('bad-frame', fields, `[${peer}] bad frame (${s.length} bytes): ${s.message}`);
      }
      if (s.kind === 'skipped') {
        return print.event('skipped', { peer, bytes: s.length, hex: toHex(s.raw, '') }, `[${peer}] ${describeSkipped(s.length)}`);
      }
      if (s.kind === 'suppressed') {
        return print.event('suppressed', { peer, frames: s.frames, bytes: s.bytes }, `[${peer}] ${describeSuppressed(s.frames, s.bytes)}`);
      }
      if (s.kind === 'closed' && s.error) {
        return print.event('closed', { peer, code: s.error.code, message: s.error.message }, `[${peer}] ${s.error.message}`);
      }
      return;
    }
  }
}
