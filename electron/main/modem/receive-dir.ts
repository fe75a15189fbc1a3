/**
 * Where received files go: only inside the chosen folder, under a safe name, never over an
 * existing file unless allowed (otherwise "name (1).ext"), and as "<name>.part" until the
 * transfer completes, so a partial file never looks finished. An existing .part of the same
 * name is resumed (ZMODEM) or started over (XMODEM, YMODEM).
 */
import { constants, type Stats } from 'node:fs';
import { access, lstat, open, realpath, rename, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { printable, safeFileName, type SafeNameChange } from '../../../shared/safe-name.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';

export interface ReceivePolicy {
  dir: string;
  overwrite: boolean;
  /** Largest file accepted, in bytes. */
  maxFileSize: number;
}

export interface IncomingFile {
  /** The name it will have once complete (inside the folder). */
  name: string;
  finalPath: string;
  partPath: string;
  /** What was changed in the offered name to make it safe. */
  changes: SafeNameChange[];
  /** Bytes already in the .part (resume from here), 0 when starting over. */
  offset: number;
  /** Appends at the current end; past maxFileSize it fails and deletes the .part. */
  write(bytes: Uint8Array): Promise<Result<void, ModemError>>;
  /** Cuts the file to `size` (YMODEM's padding), renames .part to the final name. */
  finish(size?: number): Promise<Result<string, ModemError>>;
  /** Closes it, keeping the .part for a later resume. */
  close(): Promise<void>;
  /** Closes and deletes the .part (refused or hostile content). */
  discard(): Promise<void>;
}

/**
 * Checks the folder before a receiver greets its sender: a folder that is missing, not a
 * folder or not writable is said at once, not after a sender has started. (Its statfs also
 * takes that call's first-use cost off the first offer.) Returns the folder's real path, which
 * every offer then uses: offers need not resolve it again.
 */
export async function checkReceiveDir(policy: ReceivePolicy): Promise<Result<string, ModemError>> {
  try {
    const dir = await realpath(policy.dir);
    if (!(await stat(dir)).isDirectory()) return fail(modemError('MODEM_ERR_FILE', `The receive folder ${policy.dir} is not a folder.`));
    await access(dir, constants.W_OK);
    await freeBytes(dir);
    return ok(dir);
  } catch (error) {
    return fail(modemError('MODEM_ERR_FILE', `The receive folder ${policy.dir} cannot be used: ${(error as Error).message}`));
  }
}

/** `policy.dir` is the folder as checkReceiveDir resolved it. */
export async function openIncoming(
  policy: ReceivePolicy,
  offeredName: string,
  offeredSize: number | undefined,
  resume: boolean,
): Promise<Result<IncomingFile, ModemError>> {
  if (offeredSize !== undefined && offeredSize > policy.maxFileSize) {
    return fail(modemError('MODEM_ERR_TOO_LARGE', `"${printable(offeredName)}" is ${offeredSize} bytes; --max-file-size allows ${policy.maxFileSize}.`));
  }
  const safe = safeFileName(offeredName);
  if (!safe.ok) return fail(modemError('MODEM_ERR_UNSAFE_NAME', `Refused the file name "${printable(offeredName)}": ${safe.why}.`));
  const dir = policy.dir;
  // The sender waits for our answer: the free space, the offered name and its .part are looked
  // at together (usually the offered name is free and is the name).
  const [space, offeredTaken, partOfOffered] = await Promise.all([
    offeredSize !== undefined ? freeBytes(dir) : undefined,
    policy.overwrite ? undefined : statOrUndefined(join(dir, safe.name)),
    statOrUndefined(join(dir, `${safe.name}.part`)),
  ]);
  if (offeredSize !== undefined && space !== undefined && offeredSize > space) {
    return fail(modemError('MODEM_ERR_FILE', `"${safe.name}" needs ${offeredSize} bytes; ${dir} has ${space} free.`));
  }
  const name = policy.overwrite || !offeredTaken ? safe.name : await freeName(dir, safe.name, 1);
  if (name === undefined) return fail(modemError('MODEM_ERR_FILE', `No free name for "${safe.name}" in ${dir}.`));
  const finalPath = join(dir, name);
  const partPath = `${finalPath}.part`;
  const existing = name === safe.name ? partOfOffered : await statOrUndefined(partPath);
  if (existing && !existing.isFile()) return fail(modemError('MODEM_ERR_FILE', `${partPath} exists and is not a file.`));
  const keep = resume && existing !== undefined && (offeredSize === undefined || existing.size <= offeredSize) && existing.size <= policy.maxFileSize;
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: a symbolic link planted at the .part name is refused, never followed out of the folder.
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (keep ? constants.O_APPEND : constants.O_TRUNC);
    handle = await open(partPath, flags, 0o644);
  } catch (error) {
    return fail(modemError('MODEM_ERR_FILE', `Cannot write ${partPath}: ${(error as Error).message}`));
  }
  let written = keep ? existing!.size : 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => {});
  };
  return ok({
    name,
    finalPath,
    partPath,
    changes: safe.changes,
    offset: written,
    async write(bytes) {
      if (written + bytes.length > policy.maxFileSize) {
        // Past the bound the peer is broken or hostile: nothing of it is kept.
        await close();
        await unlink(partPath).catch(() => {});
        return fail(modemError('MODEM_ERR_TOO_LARGE', `"${name}" grew past --max-file-size (${policy.maxFileSize} bytes); stopped and deleted.`));
      }
      try {
        await handle.write(bytes);
        written += bytes.length;
        return ok(undefined);
      } catch (error) {
        return fail(modemError('MODEM_ERR_FILE', `Writing ${partPath} failed: ${(error as Error).message}`));
      }
    },
    async finish(size) {
      try {
        if (size !== undefined && size < written) await handle.truncate(size);
        // The sender waits for our answer: the close and the look at the final name go together.
        const [, taken] = await Promise.all([close(), policy.overwrite ? undefined : statOrUndefined(finalPath)]);
        if (taken) {
          return fail(modemError('MODEM_ERR_FILE', `${finalPath} appeared during the transfer; the data stays in ${partPath}.`));
        }
        await rename(partPath, finalPath);
        return ok(finalPath);
      } catch (error) {
        return fail(modemError('MODEM_ERR_FILE', `Finishing ${finalPath} failed: ${(error as Error).message}`));
      }
    },
    close,
    async discard() {
      await close();
      await unlink(partPath).catch(() => {});
    },
  });
}

/** "name.ext", else "name (1).ext" ... the first that does not exist, trying from number `from`. */
async function freeName(dir: string, name: string, from = 0): Promise<string | undefined> {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let i = from; i < 1000; i++) {
    const candidate = i === 0 ? name : `${stem} (${i})${extension}`;
    if (!(await statOrUndefined(join(dir, candidate)))) return candidate;
  }
  return undefined;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}
