/**
 * `msp --mode client --serial PATH`: sends the message as DATA over a serial port, each
 * after the previous ACK. Unlike on TCP, junk on the line is normal (noise when a cable
 * is plugged in): it is skipped and reported, and only a missing ACK is a failure.
 */
import { PacketType, toHex, utf8Encode } from '../../shared/msp/index.ts';
import { SerialLink } from '../main/link/serial-link.ts';
import type { ClientConfig } from './args.ts';
import { clientSessionOptions } from './client.ts';
import { exitCodeFor } from './exit-code.ts';
import { describePacket, describeSkipped, describeSuppressed, type Printer } from './output.ts';
import type { SerialConfig } from './serial-args.ts';
import { automationSessionOptions } from './automation-output.ts';
import { isFileTransferType } from '../../shared/msp/file-transfer.ts';
import type { FileTransferService } from '../main/link/services/file-transfer/file-transfer-service.ts';
import { runSendFiles, transferServiceFactory } from './transfer.ts';

/** Service discovery's answers are not messages to show. */
const NOT_SHOWN = new Set<number>([PacketType.SERVICES_LIST, PacketType.UNSUPPORTED, PacketType.SEALED_SERVICE]);

export async function runSerialClient(config: ClientConfig, serial: SerialConfig, print: Printer): Promise<number> {
  if (config.demoPassword) print.error('Warning: --secure uses a password published with msp-secure.py; it protects nothing.');
  const path = serial.settings.path;
  // --send-file: the session gets a file transfer service (chunks sized for a serial line).
  let transferService: FileTransferService | undefined;
  const makeTransfer = transferServiceFactory(config.transfer, undefined, print, config.json, serial.maxPacketSize, true);
  const sending = config.transfer.sendFiles.length > 0;
  const link = new SerialLink({
    settings: serial.settings,
    session: {
      ...clientSessionOptions(config),
      maxPacketSize: serial.maxPacketSize,
      packetGapMs: serial.packetGapMs,
      ...automationSessionOptions(config.automation, print, config.quiet),
      ...(sending ? { services: [() => (transferService = makeTransfer())] } : {}),
    },
    observer: (event) => {
      if (event.kind !== 'session' || config.quiet) return;
      const s = event.event;
      if (s.kind === 'packet' && s.dir === 'in' && s.packet.type !== PacketType.ACK && !isFileTransferType(s.serviceType) && !NOT_SHOWN.has(s.packet.type)) {
        const { fields, summary } = describePacket(s.packet, s.plaintext, s.serviceType);
        print.event('packet', { dir: 'in', ...fields }, `<- ${summary}`);
      } else if (s.kind === 'skipped') {
        print.event('skipped', { path, bytes: s.length, hex: toHex(s.raw, '') }, describeSkipped(s.length));
      } else if (s.kind === 'suppressed') {
        print.event('suppressed', { path, frames: s.frames, bytes: s.bytes }, describeSuppressed(s.frames, s.bytes));
      }
    },
  });
  const opened = await link.open();
  if (!opened.ok) {
    print.error(`Error: ${opened.error.message}`);
    return exitCodeFor(opened.error);
  }
  if (sending && link.session) {
    const code = await runSendFiles({ session: link.session, service: () => transferService, files: config.transfer.sendFiles, timeoutMs: config.timeoutMs, print });
    await link.close();
    return code;
  }
  const payload = utf8Encode(config.message);
  let acked = 0;
  for (let seq = 1; seq <= config.repeat; seq++) {
    const result = await link.sendMessage(payload);
    if (!result.ok) {
      print.error(`Error: ${result.error.message}${config.repeat > 1 ? ` (after ${acked} of ${config.repeat} ACKs)` : ''}`);
      await link.close();
      return result.error.code === 'LINK_ERR_PACKET_TOO_LARGE' ? exitCodeFor(result.error) : 1;
    }
    acked++;
    if (!config.quiet) {
      const rtt = (result.rttMs ?? 0).toFixed(2);
      print.event('ack', { seq, of: config.repeat, rtt_ms: Number(rtt) }, `ACK ${seq}/${config.repeat}: OK (${rtt} ms)`);
    }
  }
  if (config.quiet) print.event('done', { acked, of: config.repeat }, `${acked} of ${config.repeat} ACKed`);
  await link.close();
  return 0;
}
