/**
 * `msp --mode client`: one connection, each DATA in one write, the next only after the
 * previous ACK (so the original one-packet-per-recv server keeps up). Exit 0 only when
 * every ACK arrived. With --retry it connects again when the link fails or drops.
 */
import { VERSION_PLAIN, VERSION_SECURE, utf8Encode } from '../../shared/msp/index.ts';
import { legacyKey } from '../main/link/crypto/legacy.ts';
import type { LinkError } from '../main/link/errors.ts';
import { linkError } from '../main/link/errors.ts';
import type { Session } from '../main/link/session.ts';
import { Backoff, connectTcpWithRetry, isTransient } from '../main/link/reconnect.ts';
import type { ClientConfig } from './args.ts';
import { describePacket, type Printer } from './output.ts';

export async function runClient(config: ClientConfig, print: Printer): Promise<number> {
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  let badReply: LinkError | undefined;
  let session: Session | undefined;
  const where = `${config.host}:${config.port}`;
  const backoff = new Backoff(config.retries);
  const sayRetry = (error: LinkError, delayMs: number) =>
    print.error(`${error.message} Retrying in ${delayMs / 1000} s (${backoff.attempts} of ${config.retries}).`);
  const connect = () =>
    connectTcpWithRetry(
      {
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
              badReply = linkError('LINK_ERR_BAD_REPLY', `Bad reply from ${where}: ${what}`);
              session?.close(badReply);
            } else if (event.kind === 'packet' && event.dir === 'in' && event.packet.type !== 0x11 && !config.quiet) {
              const { fields, summary } = describePacket(event.packet, event.plaintext);
              print.event('packet', { dir: 'in', ...fields }, `<- ${summary}`);
            }
          },
        },
      },
      backoff,
      sayRetry,
    );
  const connected = await connect();
  if (!connected.ok) {
    print.error(`Error: ${connected.error.message}`);
    return connected.error.code === 'LINK_ERR_HOST_NOT_FOUND' ? 2 : 1;
  }
  session = connected.session;
  const payload = utf8Encode(config.message);
  let acked = 0;
  for (let seq = 1; seq <= config.repeat; ) {
    const result = await session.sendMessage(payload);
    if (!result.ok) {
      const error = badReply ?? result.error;
      // The link dropped: with --retry, connect again and send this message again.
      const delayMs = isTransient(error) ? backoff.next() : undefined;
      if (delayMs !== undefined) {
        sayRetry(error, delayMs);
        session.close();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const again = await connect();
        if (again.ok) {
          session = again.session;
          continue; // the same seq again
        }
        print.error(`Error: ${again.error.message} (after ${acked} of ${config.repeat} ACKs)`);
        return 1;
      }
      print.error(`Error: ${error.message}${config.repeat > 1 ? ` (after ${acked} of ${config.repeat} ACKs)` : ''}`);
      session.close();
      return 1;
    }
    acked++;
    if (!config.quiet) {
      const rtt = (result.rttMs ?? 0).toFixed(2);
      print.event('ack', { seq, of: config.repeat, rtt_ms: Number(rtt) }, `ACK ${seq}/${config.repeat}: OK (${rtt} ms)`);
    }
    seq++;
  }
  if (config.quiet) print.event('done', { acked, of: config.repeat }, `${acked} of ${config.repeat} ACKed`);
  session.close(undefined, 'flush');
  return 0;
}
