/**
 * Reads a file being sent in large blocks, one block ahead: a read of each 63 KiB chunk on its
 * own waits on the file system's thread pool each time, which on a busy machine was half of a
 * transfer's time. Holds at most two blocks (2 MiB), whatever the file's size.
 */
import type { FileHandle } from 'node:fs/promises';

const BLOCK = 1 << 20;

interface Block {
  start: number;
  data: Promise<Uint8Array>;
}

export class ReadAhead {
  private current: Block | undefined;
  private next: Block | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  /** Copies the file's bytes [offset, offset + length) into `into` at `at`. */
  async read(offset: number, length: number, into: Uint8Array, at: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const block = this.blockFor(offset + done);
      const data = await block.data;
      const from = offset + done - block.start;
      const take = Math.min(length - done, data.length - from);
      if (take <= 0) throw new Error('the file became shorter while it was sent');
      into.set(data.subarray(from, from + take), at + done);
      done += take;
    }
  }

  private blockFor(offset: number): Block {
    const inside = (b: Block | undefined) => b !== undefined && offset >= b.start && offset < b.start + BLOCK;
    if (!inside(this.current)) {
      this.current = inside(this.next) ? this.next : this.load(offset - (offset % BLOCK));
      this.next = undefined;
    }
    const following = this.current!.start + BLOCK;
    if (!this.next && following < this.size) this.next = this.load(following);
    return this.current!;
  }

  private load(start: number): Block {
    const length = Math.min(BLOCK, this.size - start);
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
    return { start, data };
  }
}
