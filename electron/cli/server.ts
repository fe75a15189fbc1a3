/** `msp --mode server`: listens, prints each packet, ACKs DATA and ENCRYPTED_DATA like the original. */
import { VERSION_PLAIN, VERSION_SECURE, toHex } from '../../shared/msp/index.ts';
import { legacyKey } from '../main/link/crypto/legacy.ts';
import { TcpServer, type ServerEvent } from '../main/link/tcp-server.ts';
import type { ServerConfig } from './args.ts';
import { describePacket, type Printer } from './output.ts';

export async function runServer(config: ServerConfig, print: Printer): Promise<number> {
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  const server = new TcpServer({
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    idleTimeoutMs: config.idleTimeoutMs,
    session: {
      autoAck: true,
      version: config.password !== undefined ? VERSION_SECURE : VERSION_PLAIN,
      security: config.password !== undefined ? { mode: 'legacy', key: legacyKey(config.password) } : { mode: 'none' },
      frameTimeoutMs: config.frameTimeoutMs,
      maxQueuedBytes: config.maxQueuedBytes,
    },
    traffic: !config.quiet,
    observer: (event) => printServerEvent(event, print, config.quiet),
  });
  // Catch Ctrl+C before the "listening" line goes out: a script may send it right after.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const started = await server.listen();
  if (!started.ok) {
    print.error(`Error: ${started.error.message}`);
    return started.error.code === 'LINK_ERR_HOST_NOT_FOUND' || started.error.code === 'LINK_ERR_ADDR_NOT_AVAILABLE' ? 2 : 1;
  }
  await stopRequested;
  await server.stop();
  return 0;
}

/** In quiet mode only the listening line and what goes wrong with clients are printed. */
function printServerEvent(e: ServerEvent, print: Printer, quiet: boolean): void {
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
      if (s.kind === 'packet') {
        const { fields, summary } = describePacket(s.packet, s.plaintext);
        if (s.dir === 'in' && s.decryptError) {
          return print.event('decrypt-failed', { peer, ...fields, message: s.decryptError }, `[${peer}] ${s.decryptError} (no ACK)`);
        }
        return print.event('packet', { peer, dir: s.dir, ...fields }, `[${peer}] ${s.dir === 'in' ? '<-' : '->'} ${summary}`);
      }
      if (s.kind === 'frame-error') {
        const expected = s.expectedCrc !== undefined ? { expected_crc: s.expectedCrc } : {};
        return print.event('bad-frame', { peer, code: s.code, message: s.message, hex: toHex(s.raw, ''), ...expected }, `[${peer}] bad frame: ${s.message}`);
      }
      if (s.kind === 'skipped') {
        return print.event('skipped', { peer, bytes: s.raw.length }, `[${peer}] skipped ${s.raw.length} bytes that are not MSP frames`);
      }
      if (s.kind === 'closed' && s.error) {
        return print.event('closed', { peer, code: s.error.code, message: s.error.message }, `[${peer}] ${s.error.message}`);
      }
      return;
    }
  }
}
