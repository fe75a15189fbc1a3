/**
 * Reads a file being sent in large blocks, one block ahead: a read of each 63 KiB chunk on its
 * own waits on the file system's thread pool each time, which on a busy machine was half of a
 * transfer's time. A block holds a whole number of chunks, each in a slot with spare bytes
 * around it (`room`: where the sender writes its headers), filled by one readv; so a chunk goes
 * out as its slot, never copied. A block starts where the first chunk asked for starts. Reads
 * AHEAD blocks past the one being sent, whatever the file's size: a sender sends a burst of
 * chunks when its window opens, and with one block ahead it waited on nearly every block's read.
 *
 * A block's slots are on their way to the peer until it acknowledges them; then the sender
 * calls `recycle` and the block's buffer is read into again. (A new 1 MiB buffer per block
 * cost the kernel fresh zeroed pages each time: 7 % of the sender's time.)
 */
import type { FileHandle } from 'node:fs/promises';
import { skipBytes } from './skip-bytes.ts';

const TARGET_BLOCK = 1 << 20;
/** Blocks read ahead of the one being sent (each about TARGET_BLOCK bytes). */
const AHEAD = 3;

export interface SlotRoom {
  /** Spare bytes in front of each chunk's data. */
  before: number;
  /** Spare bytes after it. */
  after: number;
}

interface Block {
  start: number;
  /** File bytes the block was asked to hold. */
  length: number;
  /** How many it got (fewer only when the file became shorter). */
  got: Promise<number>;
  /** The read has finished (a buffer is reused only then: the thread pool may still write into it). */
  read: boolean;
  buffer: Uint8Array;
}

export class ReadAhead {
  private readonly chunksPerBlock: number;
  private readonly slotSize: number;
  private current: Block | undefined;
  /** Blocks read (or being read) after `current`, in file order. */
  private ahead: Block[] = [];
  /** Blocks read before `current`, oldest first: their slots may still be in flight. */
  private readonly passed: Block[] = [];
  /** Buffers of acknowledged blocks, to read the next blocks into. */
  private readonly spare: Uint8Array[] = [];

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly chunkSize: number,
    private readonly room: SlotRoom,
  ) {
    this.chunksPerBlock = Math.max(1, Math.floor(TARGET_BLOCK / chunkSize));
    this.slotSize = room.before + chunkSize + room.after;
  }

  /**
   * The file's bytes [offset, offset + length) (length at most one chunk) with `room.before`
   * spare bytes in front and `room.after` behind: its slot in a block, or, for an offset that is
   * not a chunk's start in a block (after going back to an odd offset), a buffer of its own.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const block = this.blockFor(offset);
    const from = offset - block.start;
    if (from % this.chunkSize !== 0 || from + length > block.length) return this.readAlone(offset, length);
    const got = await block.got;
    if (from + length > got) throw new Error('the file became shorter while it was sent');
    const at = (from / this.chunkSize) * this.slotSize;
    return block.buffer.subarray(at, at + this.room.before + length + this.room.after);
  }

  /** The peer has every byte before `offset`: blocks wholly before it will not be sent again. */
  recycle(offset: number): void {
    while (this.passed.length > 0 && this.passed[0].start + this.passed[0].length <= offset) {
      const block = this.passed.shift()!;
      if (block.read && this.spare.length < AHEAD + 1 && block.buffer.length === this.chunksPerBlock * this.slotSize) this.spare.push(block.buffer);
    }
  }

  private blockFor(offset: number): Block {
    const inside = (b: Block | undefined) => b !== undefined && offset >= b.start && offset < b.start + b.length;
    if (!inside(this.current)) {
      if (this.current) this.passed.push(this.current);
      const found = this.ahead.findIndex(inside);
      // Blocks ahead not taken (skipped, or the sender went back) may also have been sent from: keep them too.
      this.passed.push(...(found < 0 ? this.ahead : this.ahead.slice(0, found)));
      this.current = found < 0 ? this.load(offset) : this.ahead[found];
      this.ahead = found < 0 ? [] : this.ahead.slice(found + 1);
    }
    let last = this.ahead.at(-1) ?? this.current!;
    while (this.ahead.length < AHEAD && last.start + last.length < this.size) {
      last = this.load(last.start + last.length);
      this.ahead.push(last);
    }
    return this.current!;
  }

  private load(start: number): Block {
    const length = Math.min(this.chunksPerBlock * this.chunkSize, this.size - start);
    const slots = Math.ceil(length / this.chunkSize);
    const full = this.chunksPerBlock * this.slotSize;
    const buffer = slots * this.slotSize === full ? (this.spare.pop() ?? Buffer.allocUnsafe(full)) : Buffer.allocUnsafe(slots * this.slotSize);
    // Where each chunk's data goes: its slot, past the room in front.
    const targets: Uint8Array[] = [];
    for (let k = 0; k < slots; k++) {
      const at = k * this.slotSize + this.room.before;
      targets.push(buffer.subarray(at, at + Math.min(this.chunkSize, length - k * this.chunkSize)));
    }
    const got = (async () => {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await this.handle.readv(skipBytes(targets, done), start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done;
    })();
    const block: Block = { start, length, got, read: false, buffer };
    // (Also: a prefetch nobody awaits must not be an unhandled rejection.)
    got.then(
      () => (block.read = true),
      () => {},
    );
    return block;
  }

  /** One chunk read on its own, into a buffer with its room. */
  private async readAlone(offset: number, length: number): Promise<Uint8Array> {
    const out = Buffer.allocUnsafe(this.room.before + length + this.room.after);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, this.room.before + done, length - done, offset + done);
      if (bytesRead === 0) throw new Error('the file became shorter while it was sent');
      done += bytesRead;
    }
    return out;
  }
}
