/**
 * The get-file and put-file built-ins (README "Remote control"): a file of the shared folder
 * goes to the controller, or one file from the controller comes into it, by the session's own
 * MSP file transfer (windowed, CRC-32 per chunk, SHA-256 verified, sealed under v3). Each is off
 * unless the commands file turns it on (`builtins.files.get` / `.put`).
 *
 * get-file: the name is checked like every file parameter (relative, no "..", inside the folder
 * once symlinks are resolved), must be a plain file, and is then OFFERED to the controller.
 * put-file: the run authorises exactly one offer on this session, of the announced size, within
 * REMOTE_LIMITS.putOfferTimeoutMs; a bare offer without it is decided by the session's usual
 * receive policy (refused when there is none). The name keeps only its last part and follows the
 * receive rules (shared/file-transfer/safe-name.ts); no overwrite unless the file allows it.
 * Both audit the file: name, size, SHA-256 and outcome.
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { TransferEvent } from '../../../../../shared/file-transfer/events.ts';
import { safeFileName } from '../../../../../shared/safe-name.ts';
import { REMOTE_LIMITS } from '../../../../../shared/limits.ts';
import type { OfferedCommand } from '../../../../../shared/msp/remote-control.ts';
import { RefuseReason } from '../../../../../shared/msp/file-transfer.ts';
import { ReceiveFolder } from '../file-transfer/receive-folder.ts';
import type { Builtin, BuiltinAnswer, BuiltinContext } from './builtins.ts';
import type { LoadedParam, SharedFolder } from './commands-loader.ts';

const NO_TRANSFER = 'This session has no file transfer, so no file can move on it.\n';
/** Any name without control characters: what is unsafe in it is dealt with by putName, visibly. */
const PUT_NAME_PATTERN = '[^\\u0000-\\u001f\\u007f]+';

let lastKey = 0;

export function fileBuiltins(shared: SharedFolder): Builtin[] {
  const list: Builtin[] = [];
  const folder = shared.realFolder;
  if (shared.get) {
    const params: LoadedParam[] = [{ name: 'name', description: 'A file inside the shared folder (a path relative to it).', type: 'file', folder, realFolder: folder }];
    list.push({
      offered: offered('get-file', 'Sends one file of the shared folder to you by MSP file transfer (verified by SHA-256).', [
        { name: 'name', description: params[0].description, type: 'file' },
      ]),
      params,
      run: (args, context) => getFile(folder, args.get('name') as string, context),
    });
  }
  if (shared.put) {
    const params: LoadedParam[] = [
      { name: 'name', description: 'The name it gets in the shared folder (only its last part is kept).', type: 'string', pattern: PUT_NAME_PATTERN, maxLength: 1024 },
      { name: 'size', description: 'Its size in bytes (the file offered must be this size).', type: 'integer', min: 0, max: shared.maxPutBytes },
    ];
    list.push({
      offered: offered('put-file', `Takes one file from you into the shared folder by MSP file transfer (at most ${shared.maxPutBytes} bytes).`, params),
      params,
      run: (args, context) => putFile(shared, args.get('name') as string, Number(args.get('size')), context),
    });
  }
  return list;
}

/** The name a put file gets: its last path part, made safe; or why there is none. */
export function putName(requested: string): { ok: true; name: string; changed: boolean } | { ok: false; why: string } {
  const last = requested.split(/[\\/]/).pop() ?? '';
  const safe = safeFileName(last);
  return safe.ok ? { ok: true, name: safe.name, changed: safe.name !== requested } : { ok: false, why: safe.why };
}

async function getFile(folder: string, real: string, context: BuiltinContext): Promise<BuiltinAnswer> {
  const shown = relative(folder, real);
  const failed = (reason: string, size?: number): BuiltinAnswer => {
    context.audit.write({ peer: context.peer, event: 'transfer', command: 'get-file', file: shown, ...(size !== undefined ? { size } : {}), outcome: 'failed', reason });
    return { stderr: `${reason}\n` };
  };
  let size: number;
  try {
    const info = await stat(real);
    if (info.isDirectory()) return failed(`${shown} is a folder, not a file.`);
    if (!info.isFile()) return failed(`${shown} is not a plain file.`);
    size = info.size;
  } catch (error) {
    return failed(`Cannot read ${shown} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const transfer = context.fileTransfer();
  if (!transfer) return { stderr: NO_TRANSFER };
  const key = `rget${++lastKey}`;
  const stop = () => transfer.stop(key, 'cancelled');
  context.signal.addEventListener('abort', stop);
  try {
    const outcome = await transfer.sendFile(real, key);
    if (!outcome.ok) return failed(outcome.error.message, size);
    context.audit.write({ peer: context.peer, event: 'transfer', command: 'get-file', file: shown, size: outcome.size, sha256: outcome.sha256, outcome: 'verified' });
    return { stdout: `Sent ${shown}: ${outcome.size} bytes, SHA-256 ${outcome.sha256}, verified by the receiver (saved as ${outcome.savedAs}).\n` };
  } finally {
    context.signal.removeEventListener('abort', stop);
  }
}

function putFile(shared: SharedFolder, requested: string, size: number, context: BuiltinContext): BuiltinAnswer | Promise<BuiltinAnswer> {
  const name = putName(requested);
  const audit = (outcome: 'verified' | 'failed', fields: { file: string; size: number; sha256?: string; reason?: string }) =>
    context.audit.write({ peer: context.peer, event: 'transfer', command: 'put-file', outcome, ...fields });
  if (!name.ok) {
    const reason = `${JSON.stringify(requested.slice(0, 200))}: ${name.why}.`;
    audit('failed', { file: requested.slice(0, 200), size, reason });
    return { stderr: `${reason}\n` };
  }
  const transfer = context.fileTransfer();
  if (!transfer) return { stderr: NO_TRANSFER };
  // Opened now, awaited by the offer: the expectation below must be in place before RC_STARTED.
  const opened = ReceiveFolder.open({ dir: shared.realFolder, overwrite: shared.overwrite, maxFileSize: shared.maxPutBytes });
  let transferKey: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finish: (event: Extract<TransferEvent, { kind: 'done' | 'failed' }> | string) => void = () => {};
  const ended = new Promise<Extract<TransferEvent, { kind: 'done' | 'failed' }> | string>((resolve) => (finish = resolve));
  const withdraw = transfer.expectOffer({
    decide: async (offer) => {
      if (offer.size !== size) return { refuse: RefuseReason.DECLINED };
      const folder = await opened;
      return folder.ok ? { folder: folder.value, name: name.name } : { refuse: RefuseReason.IO_ERROR };
    },
    onEvent: (event) => {
      if (event.kind === 'started') {
        transferKey = event.transfer.key;
        clearTimeout(timer); // it is coming: the file transfer's own timeouts bound it now
      }
      if (event.kind === 'done' || event.kind === 'failed') finish(event);
    },
  });
  if (!withdraw) return { stderr: 'Another file is already coming on this session: wait for it to end.\n' };
  timer = setTimeout(() => finish(`No file came within ${REMOTE_LIMITS.putOfferTimeoutMs / 1000} s of the put-file request.`), REMOTE_LIMITS.putOfferTimeoutMs);
  const cancel = () => {
    if (transferKey) transfer.stop(transferKey, 'cancelled');
    finish('Cancelled.');
  };
  context.signal.addEventListener('abort', cancel);
  return ended.then((end) => {
    clearTimeout(timer);
    withdraw();
    context.signal.removeEventListener('abort', cancel);
    if (typeof end === 'string') {
      audit('failed', { file: name.name, size, reason: end });
      return { stderr: `${end}\n` };
    }
    if (end.kind === 'failed') {
      const reason = end.code === 'FT_ERR_REFUSED' && end.transfer.size !== size ? `The file offered is ${end.transfer.size} bytes, not the ${size} announced: refused.` : end.message;
      audit('failed', { file: name.name, size, reason });
      return { stderr: `${reason}\n` };
    }
    audit('verified', { file: end.savedAs, size: end.transfer.size, sha256: end.sha256 });
    const renamed = end.savedAs !== name.name ? ` (${name.name} exists already)` : name.changed ? ` (the name was made safe: ${JSON.stringify(requested.slice(0, 200))})` : '';
    return { stdout: `Saved as ${end.savedAs}${renamed}: ${end.transfer.size} bytes, SHA-256 ${end.sha256}, verified.\n` };
  });
}

function offered(name: string, description: string, params: OfferedCommand['params']): OfferedCommand {
  return { name, description, params, confirm: false, timeoutSeconds: 0, maxOutputBytes: 64 * 1024, builtin: true };
}
