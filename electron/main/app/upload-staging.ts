/**
 * Files the window hands to main to send (the Transfers tool and the X/Y/ZMODEM tool share
 * it): the renderer has no file system and names no path, so it streams a dropped or picked
 * file's bytes here (start, then pieces in order), and main keeps them in a temporary folder
 * until a sender takes the file. At most MAX_PENDING_UPLOADS are being prepared at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeFileName } from '../../../shared/safe-name.ts';
import { MAX_PENDING_UPLOADS, UPLOAD_CHUNK_BYTES, type UploadChunk, type UploadStart } from '../../../shared/ipc/transfer.ts';
import { appError, fail, ok, type Result } from '../../../shared/result.ts';

interface Upload {
  path: string;
  dir: string;
  size: number;
  received: number;
  handle: FileHandle;
}

/** A complete staged file, now owned by its sender: `discard` deletes it once it is no longer needed. */
export interface StagedFile {
  path: string;
  size: number;
  discard(): Promise<void>;
}

export class UploadStaging {
  private readonly uploads = new Map<string, Upload>();
  /** Made on the first upload (most sessions never send a file). */
  private stagingDir: string | undefined;
  private nextId = 0;

  async start(request: UploadStart): Promise<Result<{ uploadId: string }>> {
    if (this.uploads.size >= MAX_PENDING_UPLOADS) return fail(appError('APP_ERR_TOO_MANY_UPLOADS', `At most ${MAX_PENDING_UPLOADS} files can be prepared at once: wait for one to start.`));
    const safe = safeFileName(request.name);
    if (!safe.ok) return fail(appError('APP_ERR_BAD_NAME', `${request.name}: ${safe.why}.`));
    const uploadId = `u${++this.nextId}`;
    this.stagingDir ??= mkdtempSync(join(tmpdir(), 'msp-uploads-'));
    const dir = join(this.stagingDir, uploadId);
    await mkdir(dir);
    const path = join(dir, safe.name);
    const handle = await open(path, 'wx');
    this.uploads.set(uploadId, { path, dir, size: request.size, received: 0, handle });
    return ok({ uploadId });
  }

  async chunk(piece: UploadChunk): Promise<Result<null>> {
    const upload = this.uploads.get(piece.uploadId);
    if (!upload) return fail(appError('APP_ERR_NO_UPLOAD', 'That file is no longer being prepared.'));
    const data = Buffer.from(piece.data, 'base64');
    if (piece.offset !== upload.received || data.length > UPLOAD_CHUNK_BYTES || upload.received + data.length > upload.size) {
      await this.drop(piece.uploadId);
      return fail(appError('APP_ERR_BAD_UPLOAD', 'The file arrived out of order or longer than announced, so it was dropped.'));
    }
    await upload.handle.write(data, 0, data.length, upload.received);
    upload.received += data.length;
    return ok(null);
  }

  /** The upload is complete: it leaves the staging list and belongs to the caller. */
  async take(uploadId: string): Promise<Result<StagedFile>> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return fail(appError('APP_ERR_NO_UPLOAD', 'That file is no longer being prepared.'));
    this.uploads.delete(uploadId);
    await upload.handle.close();
    const discard = () => rm(upload.dir, { recursive: true, force: true });
    if (upload.received !== upload.size) {
      await discard();
      return fail(appError('APP_ERR_BAD_UPLOAD', 'The file arrived shorter than announced, so it was dropped.'));
    }
    return ok({ path: upload.path, size: upload.size, discard });
  }

  /** Deletes an upload still being prepared (or does nothing). */
  async drop(uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    await upload?.handle.close().catch(() => {});
    if (upload) await rm(upload.dir, { recursive: true, force: true });
  }

  dispose(): void {
    for (const upload of this.uploads.values()) void upload.handle.close().catch(() => {});
    this.uploads.clear();
    if (this.stagingDir) rmSync(this.stagingDir, { recursive: true, force: true });
  }
}
