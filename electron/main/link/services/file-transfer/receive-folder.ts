/**
 * The folder a receiver writes into, and the only code that touches it. Every name comes from
 * safeFileName (no separators, so a path joined to the folder stays in it); files are opened
 * with O_NOFOLLOW (a symlink planted in the folder is not followed) and new ones with O_EXCL;
 * a file being received is `<name>.<hash>.part` until its SHA-256 is checked; the finished file
 * gets its name by link(2), which never replaces an existing file (so no overwrite without
 * --overwrite: `name (1).ext` instead).
 */
import { constants } from 'node:fs';
import { link, open, realpath, rename, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { numberedName, safeFileName } from '../../../../../shared/safe-name.ts';
import { FILE_TRANSFER_LIMITS } from '../../../../../shared/limits.ts';
import { RefuseReason, type Offer, type RefuseReasonCode } from '../../../../../shared/msp/file-transfer.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';

export interface ReceiveFolderOptions {
  dir: string;
  /** Replace a file of the same name (--overwrite); otherwise the new one is `name (1).ext`. */
  overwrite?: boolean;
  maxFileSize?: number;
}

/** An open `.part` file, ready to be written from `offset` on, with the hash of what it holds. */
export interface PartFile {
  handle: FileHandle;
  path: string;
  /** The name the file gets when it is verified. */
  name: string;
  offset: number;
  hash: Hash;
  release(): void;
}

export type Refusal = { reason: RefuseReasonCode; why: string };

/** Part files open in this process: two sessions never write the same one. */
const inUse = new Set<string>();

/** Tried before giving up on a free name: `name (1).ext` … `name (999).ext`. */
const MAX_NUMBERED = 999;

export class ReceiveFolder {
  private constructor(
    readonly dir: string,
    private readonly overwrite: boolean,
    readonly maxFileSize: number,
  ) {}

  /** The folder, resolved once (symlinks in its own path are the owner's choice): it must exist. */
  static async open(options: ReceiveFolderOptions): Promise<Result<ReceiveFolder, string>> {
    try {
      const dir = await realpath(options.dir);
      if (!(await stat(dir)).isDirectory()) return fail(`${options.dir} is not a folder.`);
      return ok(new ReceiveFolder(dir, options.overwrite ?? false, options.maxFileSize ?? FILE_TRANSFER_LIMITS.defaultMaxFileSize));
    } catch (error) {
      return fail(`Cannot use ${options.dir} as the receive folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }

  /**
   * Checks an offer and opens its part file: a new one, or the one a dropped transfer left
   * (resume). `name` replaces the offer's name when the receiver chose it (remote put-file).
   */
  async openPart(offer: Offer, name = offer.name): Promise<Result<PartFile, Refusal>> {
    const safe = safeFileName(name);
    if (!safe.ok) return fail({ reason: RefuseReason.BAD_NAME, why: safe.why });
    if (offer.size > this.maxFileSize) {
      return fail({ reason: RefuseReason.TOO_LARGE, why: `${offer.size} bytes is over the limit of ${this.maxFileSize} (--max-file-size)` });
    }
    const path = join(this.dir, partName(safe.name, offer.sha256));
    if (inUse.has(path)) return fail({ reason: RefuseReason.DECLINED, why: 'this file is being received on another connection' });
    let handle: FileHandle | undefined;
    try {
      let offset = 0;
      try {
        handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW);
        const info = await handle.stat();
        if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
        offset = info.size <= offer.size ? info.size : 0;
        if (offset === 0) await handle.truncate(0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      }
      const space = await freeBytes(this.dir);
      if (space !== undefined && space < offer.size - offset + FILE_TRANSFER_LIMITS.freeSpaceMargin) {
        await handle.close();
        if (offset === 0) await unlink(path).catch(() => {});
        return fail({ reason: RefuseReason.NO_SPACE, why: `${offer.size - offset} bytes to write, ${space} free` });
      }
      const hash = await hashPrefix(handle, offset);
      inUse.add(path);
      return ok({ handle, path, name: safe.name, offset, hash, release: () => inUse.delete(path) });
    } catch (error) {
      await handle?.close().catch(() => {});
      return fail({ reason: RefuseReason.IO_ERROR, why: `cannot create ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    }
  }

  /** The verified part file takes its final name; returns that name (maybe `name (1).ext`). */
  async finish(part: PartFile): Promise<Result<string, string>> {
    try {
      if (this.overwrite) {
        await rename(part.path, join(this.dir, part.name));
        return ok(part.name);
      }
      for (let n = 0; n <= MAX_NUMBERED; n++) {
        const name = n === 0 ? part.name : numberedName(part.name, n);
        try {
          await link(part.path, join(this.dir, name)); // fails with EEXIST, never replaces
          await unlink(part.path);
          return ok(name);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
      return fail(`${part.name} and ${MAX_NUMBERED} numbered names exist already; the file stays as ${part.path}`);
    } catch (error) {
      return fail(`cannot rename ${part.path}: ${(error as Error).message}`);
    }
  }

  /** Deletes a part file that failed its check (it must not look like a good one). */
  async discard(part: PartFile): Promise<void> {
    await unlink(part.path).catch(() => {});
  }
}

/** `<name>.<first 16 hex digits of the SHA-256>.part`: the same file offered again finds it. */
export function partName(name: string, sha256: Uint8Array): string {
  const tag = Buffer.from(sha256.subarray(0, 8)).toString('hex');
  // Room for the suffix within 255 bytes: shorten the name, by whole characters.
  let base = name;
  while (Buffer.byteLength(base) > 200) base = [...base].slice(0, -1).join('');
  return `${base}.${tag}.part`;
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined; // a file system that cannot say: the write will say it instead
  }
}

/** The SHA-256 state after the first `length` bytes of the part file (read in 1 MiB pieces). */
async function hashPrefix(handle: FileHandle, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(length, 1 << 20) || 1);
  for (let at = 0; at < length; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - at), at);
    if (bytesRead === 0) throw new Error('the part file became shorter while it was read');
    hash.update(buffer.subarray(0, bytesRead));
    at += bytesRead;
  }
  return hash;
}
