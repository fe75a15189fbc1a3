/**
 * The controller's side of the get-file and put-file built-ins (file-builtins.ts): one remote
 * run that moves one file by the session's own file transfer. A get expects exactly one offer
 * for as long as its run lasts (any other offer is decided as before: refused by the CLI);
 * a put offers its file only once the controlled side said the run started (it authorised the
 * offer). Success is both ends agreeing: the run's exit code 0 and the file verified here.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TransferEvent } from '../../../../../shared/file-transfer/events.ts';
import type { FileTransferError } from '../../../../../shared/errors/file-transfer.ts';
import type { Offer } from '../../../../../shared/msp/file-transfer.ts';
import type { RunExit } from '../../../../../shared/msp/remote-control.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import type { ReceiveDecision } from '../file-transfer/file-transfer-service.ts';
import type { SendOutcome } from '../file-transfer/file-sender.ts';
import type { RemoteController, RemoteError, RunHandlers } from './remote-controller.ts';

export interface FileRunResult {
  /** The controlled side's answer (its output went to the run's handlers). */
  exit: RunExit;
  /** The file as verified by SHA-256 (get: saved here; put: saved there), when it moved. */
  file?: { name: string; size: number; sha256: string };
  /** Why it did not move, as this end's file transfer saw it (a code the window words in its language). */
  error?: FileTransferError;
}

export interface FileRun {
  done: Promise<Result<FileRunResult, RemoteError>>;
  cancel(): void;
}

/** The run and the file both succeeded. */
export function fileRunVerified(result: FileRunResult): boolean {
  return result.exit.exitCode === 0 && !result.exit.signalled && result.file !== undefined;
}

let lastKey = 0;

/** Asks the peer for `name` (a path in its shared folder); `into` decides where its offer lands. */
export function getFile(controller: RemoteController, name: string, into: (offer: Offer) => ReceiveDecision | Promise<ReceiveDecision>, handlers: RunHandlers = {}): FileRun {
  const transfer = controller.fileTransfer();
  if (!transfer) return refused('This session has no file transfer, so a file cannot come on it.');
  let received: Extract<TransferEvent, { kind: 'done' | 'failed' }> | undefined;
  const withdraw = transfer.expectOffer({
    decide: into,
    onEvent: (event) => {
      if (event.kind === 'done' || event.kind === 'failed') received = event;
    },
  });
  if (!withdraw) return refused('A file is already coming on this session: wait for it to end.');
  const run = controller.run('get-file', [['name', name]], handlers);
  const done = run.done.then((result): Result<FileRunResult, RemoteError> => {
    withdraw();
    if (!result.ok) return result;
    // The receiver reports before it sends DONE, and the peer ends the run only after DONE: `received` is set by now.
    if (received?.kind === 'done') return ok({ exit: result.value, file: { name: received.savedAs, size: received.transfer.size, sha256: received.sha256 } });
    return ok({ exit: result.value, ...(received ? { error: { code: received.code, message: received.message } } : {}) });
  });
  return { done, cancel: () => run.cancel() };
}

/** Sends the local file at `path` into the peer's shared folder, as `name` (its own name when left out). */
export function putFile(controller: RemoteController, path: string, name: string | undefined, handlers: RunHandlers = {}): FileRun {
  const transfer = controller.fileTransfer();
  if (!transfer) return refused('This session has no file transfer, so a file cannot go on it.');
  const key = `rput${++lastKey}`;
  let cancelled = false;
  let cancelRun = () => {};
  const done = (async (): Promise<Result<FileRunResult, RemoteError>> => {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) return fail({ code: 'REMOTE_ERR_FILE', message: `${path} is not a plain file.` });
      size = info.size;
    } catch (error) {
      return fail({ code: 'REMOTE_ERR_FILE', message: `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).` });
    }
    if (cancelled) return fail({ code: 'REMOTE_ERR_FILE', message: 'Cancelled.' });
    let sending: Promise<SendOutcome> | undefined;
    const run = controller.run(
      'put-file',
      [
        ['name', name ?? basename(path)],
        ['size', String(size)],
      ],
      {
        ...handlers,
        // Started: the peer now expects exactly this offer.
        onStarted: () => {
          handlers.onStarted?.();
          sending = transfer.sendFile(path, key);
        },
      },
    );
    cancelRun = () => run.cancel();
    const result = await run.done;
    if (!result.ok || result.value.exitCode !== 0) transfer.stop(key, 'cancelled');
    const outcome = sending ? await sending : undefined;
    if (!result.ok) return result;
    if (outcome?.ok) return ok({ exit: result.value, file: { name: outcome.savedAs, size: outcome.size, sha256: outcome.sha256 } });
    return ok({ exit: result.value, ...(outcome ? { error: outcome.error } : {}) });
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      cancelRun();
      transfer.stop(key, 'cancelled');
    },
  };
}

function refused(message: string): FileRun {
  return { done: Promise.resolve(fail({ code: 'REMOTE_ERR_FILE', message })), cancel: () => {} };
}
