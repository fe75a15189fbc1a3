/**
 * `msp --mode client`: one connection, each DATA in one write, the next only after the
 * previous ACK (so the original one-packet-per-recv server keeps up). Exit 0 only when
 * every ACK arrived. With --password it opens an MSP v3 secure session first; with --retry
 * it connects again when the link fails or drops.
 */
import { readFileSync } from 'node:fs';
import { PacketType, hexByte, utf8Encode } from '../../shared/msp/index.ts';
import { buildClientSecurity } from '../main/link/security-builder.ts';
import type { LinkError } from '../main/link/errors.ts';
import { linkError } from '../main/link/errors.ts';
import type { Session, SessionOptions } from '../main/link/session.ts';
import { Backoff, connectTcpWithRetry, isTransient } from '../main/link/reconnect.ts';
import type { TlsClientOptions } from '../main/link/tls.ts';
import type { ClientConfig } from './args.ts';
import { describePacket, describeSecurity, type Printer } from './output.ts';
import { automationSessionOptions } from './automation-output.ts';
import { MAX_PACKET_SIZE } from '../../shared/msp/index.ts';
import type { FileTransferService } from '../main/link/services/file-transfer/file-transfer-service.ts';
import { runSendFiles, transferServiceFactory } from './transfer.ts';
import { isFileTransferType } from '../../shared/msp/file-transfer.ts';
import { runRemote } from './remote-client.ts';
import { RemoteController } from '../main/link/services/remote/remote-controller.ts';

/** What the client does not print as an incoming message: ACKs, handshake steps, service discovery. */
const NOT_MESSAGES = new Set<number>([
  PacketType.ACK,
  PacketType.SERVICES_LIST,
  PacketType.UNSUPPORTED,
  PacketType.SEALED_ACK,
  PacketType.SEALED_SERVICE,
  PacketType.HELLO_REPLY,
  PacketType.SERVER_CONFIRM,
  PacketType.ALERT,
]);

export async function runClient(config: ClientConfig, print: Printer): Promise<number> {
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  const tls = readTlsOptions(config, print);
  if (tls === 'failed') return 2;
  let badReply: LinkError | undefined;
  let session: Session | undefined;
  const where = `${config.host}:${config.port}`;
  const backoff = new Backoff(config.retries);
  const sayRetry = (error: LinkError, delayMs: number) =>
    print.error(`${error.message} Retrying in ${delayMs / 1000} s (${backoff.attempts} of ${config.retries}).`);
  // --send-file: each session gets a file transfer service (it sends; it refuses offers).
  let transferService: FileTransferService | undefined;
  const makeTransfer = transferServiceFactory(config.transfer, undefined, print, config.json, MAX_PACKET_SIZE, false);
  const sending = config.transfer.sendFiles.length > 0;
  // --list-commands / --run: this session carries the controller side of remote control.
  const controller = config.remote ? new RemoteController() : undefined;
  // get-file and put-file move their file by this session's file transfer (it takes only the offer a get-file asked for).
  const movesFile = sending || config.remote?.action === 'get' || config.remote?.action === 'put';
  const services = [...(movesFile ? [() => (transferService = makeTransfer())] : []), ...(controller ? [() => controller] : [])];
  const sessionOptions: Omit<SessionOptions, 'peer'> = {
      ...clientSessionOptions(config),
      ...automationSessionOptions(config.automation, print, config.quiet),
      ...(services.length > 0 ? { services } : {}),
      onFrameTimeout: 'resync',
      observer: (event) => {
        if (event.kind === 'frame-error' || event.kind === 'skipped') {
          const what = event.kind === 'frame-error' ? event.message : `${event.length} bytes that are not an MSP frame`;
          badReply = linkError('LINK_ERR_BAD_REPLY', `Bad reply from ${where}: ${what}`);
          session?.close(badReply);
        } else if (event.kind === 'security' && !config.quiet) {
          const { lock, transport } = event.security;
          print.event('secured', { lock, transport }, `Secure session: ${describeSecurity(event.security)}`);
        } else if (event.kind === 'packet' && event.dir === 'in' && event.rejected && !config.quiet) {
          // Fatal ones end the session and are printed as its error; these are plaintext packets refused.
          if (event.rejected.code === 'CRYPTO_ERR_PLAINTEXT_REFUSED') print.error(`Warning: ${event.rejected.message}`);
        } else if (event.kind === 'packet' && event.dir === 'in' && !NOT_MESSAGES.has(event.packet.type) && !isFileTransferType(event.serviceType) && !config.quiet) {
          const { fields, summary } = describePacket(event.packet, event.plaintext, event.serviceType);
          print.event('packet', { dir: 'in', ...fields }, `<- ${summary}`);
        }
      },
  };
  const connect = () =>
    connectTcpWithRetry(
      { host: config.host, port: config.port, connectTimeoutMs: config.timeoutMs, ...(tls ? { tls } : {}), session: sessionOptions },
      backoff,
      sayRetry,
    );
  const connected = await connect();
  if (!connected.ok) {
    print.error(`Error: ${connected.error.message}`);
    return connected.error.code === 'LINK_ERR_HOST_NOT_FOUND' ? 2 : 1;
  }
  session = connected.session;
  if (config.listServices) return listServices(session, config, print);
  if (sending) {
    return runSendFiles({
      session,
      service: () => transferService,
      files: config.transfer.sendFiles,
      timeoutMs: config.timeoutMs,
      print,
      reconnect: async (why) => {
        const delayMs = backoff.next();
        if (delayMs === undefined) return undefined;
        print.error(`${why} Retrying in ${delayMs / 1000} s (${backoff.attempts} of ${config.retries}).`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const again = await connect();
        return again.ok ? again.session : undefined;
      },
    });
  }
  if (config.remote && controller) return runRemote(session, controller, config.remote, config, print);
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
      print.error(`Error: ${error.message}${legacyHint(config, error)}${config.repeat > 1 ? ` (after ${acked} of ${config.repeat} ACKs)` : ''}`);
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
  // Everything was sent and ACKed: close now rather than wait for the server to hang up
  // (the original server never closes its side first).
  session.close();
  return 0;
}

/** --list-services: one services query (after the secure handshake, if any), each service printed. */
async function listServices(session: Session, config: ClientConfig, print: Printer): Promise<number> {
  const ready = await session.whenReady();
  const offered = ready ? { ok: false as const, error: ready } : await session.services.discovery.query(config.timeoutMs);
  session.close();
  if (!offered.ok) {
    print.error(`Error: ${offered.error.message}`);
    return 1;
  }
  for (const service of offered.value) {
    const types = service.types.map((t) => `0x${hexByte(t)}`).join(' ');
    print.event('service', { id: service.id, version: service.version, types: service.types }, `${service.id} v${service.version}  (TYPE ${types})`);
  }
  return 0;
}

/** What a client's Session gets from the flags, over TCP and serial alike. */
export function clientSessionOptions(config: ClientConfig) {
  // No password: plain; --legacy: msp-secure.py's scheme; otherwise MSP v3.
  const { security, version } = buildClientSecurity({
    ...(config.password !== undefined ? { password: config.password } : {}),
    scheme: config.legacy ? 'legacy' : 'v3',
    handshakeTimeoutMs: config.timeoutMs,
  });
  const capture = config.captureTap ? { capture: config.captureTap } : {};
  return { autoAck: true, version, security, ackTimeoutMs: config.timeoutMs, frameTimeoutMs: config.timeoutMs, ...capture };
}

/** Our server closes a legacy connection at the first failed decryption: say what that usually means. */
function legacyHint(config: ClientConfig, error: LinkError): string {
  if (!config.legacy || (error.code !== 'LINK_ERR_CLOSED' && error.code !== 'LINK_ERR_RESET')) return '';
  return " With msp-secure.py's scheme this usually means the password is wrong.";
}

function readTlsOptions(config: ClientConfig, print: Printer): TlsClientOptions | undefined | 'failed' {
  if (!config.tls) return undefined;
  const { fingerprint, caFile } = config.tls;
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      print.error(`Error: cannot read --tls-ca: ${(error as Error).message}`);
      return 'failed';
    }
  }
  return { ...(fingerprint ? { fingerprint } : {}), ...(ca ? { ca } : {}) };
}
