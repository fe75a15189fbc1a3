/**
 * Reads a file being sent in large blocks, one block ahead: a read of each 63 KiB chunk on its
 * own waits on the file system's thread pool each time, which on a busy machine was half of a
 * transfer's time. A block holds a whole number of chunks and starts where the first chunk
 * asked for starts, so each chunk is handed out as a view of its block, not copied. Holds at
 * most two blocks (about 2 MiB), whatever the file's size.
 */
import type { FileHandle } from 'node:fs/promises';

const TARGET_BLOCK = 1 << 20;

interface Block {
  start: number;
  length: number;
  data: Promise<Uint8Array>;
}

export class ReadAhead {
  private readonly blockSize: number;
  private current: Block | undefined;
  private next: Block | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    chunkSize: number,
  ) {
    this.blockSize = chunkSize * Math.max(1, Math.floor(TARGET_BLOCK / chunkSize));
  }

  /** The file's bytes [offset, offset + length): a view of a block (do not change it), or a copy when they span two. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const block = this.blockFor(offset);
    const data = await block.data;
    const from = offset - block.start;
    if (from + length <= data.length) return data.subarray(from, from + length);
    if (data.length < block.length) throw new Error('the file became shorter while it was sent');
    // Across the end of a block (after going back to an offset that is not a chunk's start).
    const out = new Uint8Array(length);
    const head = data.subarray(from);
    out.set(head);
    out.set(await this.read(offset + head.length, length - head.length), head.length);
    return out;
  }

  private blockFor(offset: number): Block {
    const inside = (b: Block | undefined) => b !== undefined && offset >= b.start && offset < b.start + b.length;
    if (!inside(this.current)) {
      this.current = inside(this.next) ? this.next : this.load(offset);
      this.next = undefined;
    }
    const following = this.current!.start + this.current!.length;
    if (!this.next && following < this.size) this.next = this.load(following);
    return this.current!;
  }

  private load(start: number): Block {
    const length = Math.min(this.blockSize, this.size - start);
    const buffer = new Uint8Array(length);
    const data = (async () => {
      let got = 0;
      while (got < length) {
        const { bytesRead } = await this.handle.read(buffer, got, length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    })();
    data.catch(() => {}); // a prefetch nobody awaits must not be an unhandled rejection
    return { start, length, data };
  }
}
