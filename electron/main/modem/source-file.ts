/** A file to send: its name as the peer will see it, size, mtime, and reads at an offset. */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';

export interface SourceFile {
  name: string;
  path: string;
  size: number;
  mtimeSeconds: number;
  /** Up to `length` bytes from `position` (fewer at the end); valid after later reads too. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Bytes read at once (each read gets a fresh buffer, so what an earlier read returned stays valid). */
const READ_AHEAD = 16 * 1024;

export async function openSource(path: string): Promise<Result<SourceFile, ModemError>> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return fail(modemError('MODEM_ERR_FILE', `${path} is not a regular file.`));
    }
    // Reads go through one block read ahead: a sender asks for a subpacket or block at a time
    // and would otherwise wait for a disk read (a trip through libuv's thread pool) before each.
    let cached = { start: 0, bytes: new Uint8Array(0) };
    const readBlock = async (position: number, length: number) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, stat.size - position)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    };
    return ok({
      name: basename(path),
      path,
      size: stat.size,
      mtimeSeconds: Math.floor(stat.mtimeMs / 1000),
      async read(position, length) {
        const end = Math.min(position + Math.max(0, length), stat.size);
        if (position < cached.start || end > cached.start + cached.bytes.length) cached = { start: position, bytes: await readBlock(position, Math.max(end - position, READ_AHEAD)) };
        return cached.bytes.subarray(position - cached.start, Math.max(position, end) - cached.start);
      },
      close: () => handle.close().catch(() => {}),
    });
  } catch (error) {
    return fail(modemError('MODEM_ERR_FILE', `Cannot read ${path}: ${(error as Error).message}`));
  }
}
