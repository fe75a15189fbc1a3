/**
 * `msp --mode client`: one connection, each DATA in one write, the next only after the
 * previous ACK (so the original one-packet-per-recv server keeps up). Exit 0 only when
 * every ACK arrived.
 */
import { VERSION_PLAIN, VERSION_SECURE, utf8Encode } from '../../shared/msp/index.ts';
import { legacyKey } from '../main/link/crypto/legacy.ts';
import type { LinkError } from '../main/link/errors.ts';
import { linkError } from '../main/link/errors.ts';
import type { Session } from '../main/link/session.ts';
import { connectTcp } from '../main/link/tcp-client.ts';
import type { ClientConfig } from './args.ts';
import { describePacket, type Printer } from './output.ts';

export async function runClient(config: ClientConfig, print: Printer): Promise<number> {
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  let badReply: LinkError | undefined;
  let session: Session | undefined;
  const connected = await connectTcp({
    host: config.host,
    port: config.port,
    connectTimeoutMs: config.timeoutMs,
    session: {
      autoAck: true,
      version: config.password !== undefined ? VERSION_SECURE : VERSION_PLAIN,
      security: config.password !== undefined ? { mode: 'legacy', key: legacyKey(config.password) } : { mode: 'none' },
      ackTimeoutMs: config.timeoutMs,
      frameTimeoutMs: config.timeoutMs,
      onFrameTimeout: 'resync',
      observer: (event) => {
        if (event.kind === 'frame-error' || event.kind === 'skipped') {
          const what = event.kind === 'frame-error' ? event.message : `${event.raw.length} bytes that are not an MSP frame`;
          badReply = linkError('LINK_ERR_BAD_REPLY', `Bad reply from ${config.host}:${config.port}: ${what}`);
          session?.close(badReply);
        } else if (event.kind === 'packet' && event.dir === 'in' && event.packet.type !== 0x11 && !config.quiet) {
          const { fields, summary } = describePacket(event.packet, event.plaintext);
          print.event('packet', { dir: 'in', ...fields }, `<- ${summary}`);
        }
      },
    },
  });
  if (!connected.ok) {
    print.error(`Error: ${connected.error.message}`);
    return connected.error.code === 'LINK_ERR_HOST_NOT_FOUND' ? 2 : 1;
  }
  session = connected.session;
  const payload = utf8Encode(config.message);
  let acked = 0;
  for (let seq = 1; seq <= config.repeat; seq++) {
    const result = await session.sendMessage(payload);
    if (!result.ok) {
      const error = badReply ?? result.error;
      print.error(`Error: ${error.message}${config.repeat > 1 ? ` (after ${acked} of ${config.repeat} ACKs)` : ''}`);
      session.close();
      return 1;
    }
    acked++;
    if (!config.quiet) {
      const rtt = (result.rttMs ?? 0).toFixed(2);
      print.event('ack', { seq, of: config.repeat, rtt_ms: Number(rtt) }, `ACK ${seq}/${config.repeat}: OK (${rtt} ms)`);
    }
  }
  if (config.quiet) print.event('done', { acked, of: config.repeat }, `${acked} of ${config.repeat} ACKed`);
  // Everything was sent and ACKed: close now rather than wait for the server to hang up
  // (the original server never closes its side first).
  session.close();
  return 0;
}
