/**
 * The CLI's side of file transfer: the service each session gets from the flags (a receive
 * folder on a server with --receive-dir, nothing to receive otherwise), and sending the
 * --send-file list over a session once it is ready.
 */
import { RefuseReason } from '../../shared/msp/file-transfer.ts';
import { FileTransferService, chunkSizeFor } from '../main/link/services/file-transfer/file-transfer-service.ts';
import { ReceiveFolder } from '../main/link/services/file-transfer/receive-folder.ts';
import type { Session } from '../main/link/session.ts';
import type { SendOutcome } from '../main/link/services/file-transfer/file-sender.ts';
import type { Printer } from './output.ts';
import type { TransferConfig } from './transfer-args.ts';
import { transferPrinter } from './transfer-output.ts';

/** The factory a server's or client's sessions get: one FileTransferService per session. */
export function transferServiceFactory(
  transfer: TransferConfig,
  folder: ReceiveFolder | undefined,
  print: Printer,
  json: boolean,
  maxPacketSize: number,
  serial: boolean,
): () => FileTransferService {
  const onEvent = transferPrinter(print, json);
  return () =>
    new FileTransferService({
      chunkSize: chunkSizeFor(maxPacketSize, serial),
      onEvent,
      receive: async () => (folder ? { folder } : { refuse: RefuseReason.RECEIVING_OFF }),
    });
}

/** The receive folder from --receive-dir, checked before anything listens. */
export async function openReceiveFolder(transfer: TransferConfig, print: Printer): Promise<ReceiveFolder | undefined | 'failed'> {
  if (transfer.receiveDir === undefined) return undefined;
  const folder = await ReceiveFolder.open({ dir: transfer.receiveDir, overwrite: transfer.overwrite, maxFileSize: transfer.maxFileSize });
  if (!folder.ok) {
    print.error(`Error: ${folder.error}`);
    return 'failed';
  }
  return folder.value;
}

/** Sends each file in turn; stops at the first that fails. `next` is the index to start from. */
export async function sendFiles(
  service: FileTransferService,
  files: string[],
  from: number,
): Promise<{ sent: number; failure?: SendOutcome & { ok: false } }> {
  for (let i = from; i < files.length; i++) {
    const outcome = await service.sendFile(files[i]);
    if (!outcome.ok) return { sent: i, failure: outcome };
  }
  return { sent: files.length };
}

/**
 * --send-file over a session: checks that the peer offers file transfer, then sends each
 * file. `reconnect` (--retry) gives a fresh session after a dropped link; the file under way
 * is offered again and the receiver resumes it from its .part file.
 */
export async function runSendFiles(options: {
  session: Session;
  service: () => FileTransferService | undefined;
  files: string[];
  timeoutMs: number;
  print: Printer;
  reconnect?: (error: string) => Promise<Session | undefined>;
}): Promise<number> {
  const { files, print } = options;
  let session = options.session;
  let from = 0;
  for (;;) {
    const ready = await session.whenReady();
    const offered = ready ? { ok: false as const, error: ready } : await session.services.discovery.query(options.timeoutMs);
    if (!offered.ok) {
      print.error(`Error: ${offered.error.message}`);
      session.close();
      return 1;
    }
    const service = options.service();
    if (!service || !offered.value.some((s) => s.id === 'file-transfer')) {
      print.error(
        `Error: ${session.peer} does not receive files (its services: ${offered.value.map((s) => s.id).join(', ')}); an msp server receives only with --receive-dir DIR.`,
      );
      session.close();
      return 1;
    }
    const result = await sendFiles(service, files, from);
    if (!result.failure) {
      session.close();
      return 0;
    }
    from = result.sent;
    const again = result.failure.error.code === 'FT_ERR_LINK' && options.reconnect ? await options.reconnect(result.failure.error.message) : undefined;
    if (!again) {
      session.close();
      return 1;
    }
    session = again;
  }
}
