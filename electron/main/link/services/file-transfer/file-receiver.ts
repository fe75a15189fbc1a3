/**
 * One file coming in, after its offer was accepted: chunks are taken only in order and only
 * when their CRC-32 is right (anything else is dropped, and the first missing offset NAKed once),
 * hashed and written to the `.part` file; PROGRESS goes back only once bytes are written, so the
 * sender's window bounds what waits in memory (and the receiver drops what would exceed its own
 * window whatever the sender does). At the end the SHA-256 is checked: the file gets its name,
 * or is deleted and DONE says why.
 */
// node:zlib's CRC-32 (the same one as shared/checksums/crc32.ts, tests/unit/crc32.test.ts): 7x faster on 64 KiB chunks.
import { crc32 } from 'node:zlib';
import { FILE_TRANSFER_LIMITS } from '../../../../../shared/limits.ts';
import { MAX_PACKET_SIZE } from '../../../../../shared/msp/index.ts';
import {
  CANCEL_REASON_TEXT,
  CancelReason,
  DoneResult,
  FileTransferType as T,
  encodeAccept,
  encodeDone,
  encodeOffset,
  encodeReason,
  type Chunk,
  type Offer,
} from '../../../../../shared/msp/file-transfer.ts';
import type { TransferEvent, TransferInfo } from '../../../../../shared/file-transfer/events.ts';
import type { FileTransferErrorCode } from '../../../../../shared/errors/file-transfer.ts';
import type { ServiceIo } from '../service.ts';
import type { PartFile, ReceiveFolder } from './receive-folder.ts';
import { skipBytes } from './skip-bytes.ts';
import { StagingRing } from './staging-ring.ts';

const PROGRESS_EVERY_MS = 100;

export class FileReceiver {
  readonly info: TransferInfo;
  /** The next byte we take. */
  private expected: number;
  /** Bytes written to the part file. */
  private written: number;
  private queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes handed to the write under way. */
  private inWrite = 0;
  private writing = false;
  private nakedAt = -1;
  private state: 'receiving' | 'finishing' | 'finished' = 'receiving';
  /** DONE, kept to answer a sender that did not get it (it sends its last chunk again). */
  private donePayload: Uint8Array | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = 0;
  private lastEventAt = 0;
  private readonly startedAt = Date.now();
  private readonly window = FILE_TRANSFER_LIMITS.receiveWindow;
  /** Chunks taken and not yet written (the queue's views point into it). */
  private readonly staging: StagingRing;

  constructor(
    private readonly io: ServiceIo,
    readonly offer: Offer,
    private readonly part: PartFile,
    private readonly folder: ReceiveFolder,
    private readonly onEvent: (event: TransferEvent) => void,
    key: string,
  ) {
    this.info = { key, dir: 'receive', peer: io.peer, name: part.name, size: offer.size };
    this.expected = this.written = part.offset;
    this.staging = new StagingRing(Math.min(this.window + MAX_PACKET_SIZE, offer.size - part.offset));
  }

  get id(): number {
    return this.offer.id;
  }

  /** Bytes taken but not yet written: never more than the window. */
  get heldBytes(): number {
    return this.queued + this.inWrite;
  }

  get isFinished(): boolean {
    return this.state === 'finished';
  }

  start(): void {
    this.accept();
    this.onEvent({ kind: 'started', transfer: this.info, offset: this.part.offset });
    if (this.offer.size === this.part.offset) void this.complete();
    else this.touch();
  }

  /** The offer came again (our ACCEPT was lost): say it again. */
  accept(): void {
    if (this.donePayload) this.io.send(T.DONE, this.donePayload);
    else this.io.send(T.ACCEPT, encodeAccept(this.offer.id, this.written, this.window));
  }

  chunk(chunk: Chunk): void {
    if (this.state !== 'receiving') {
      if (this.donePayload) this.io.send(T.DONE, this.donePayload);
      return;
    }
    this.touch();
    const length = chunk.data.length;
    if (chunk.offset < this.expected) {
      // A copy we have: the sender went back, or missed our PROGRESS. Say where we are.
      if (chunk.offset + length >= this.expected) this.io.send(T.PROGRESS, encodeOffset(this.offer.id, this.written));
      return;
    }
    const inOrder = chunk.offset === this.expected;
    const good = inOrder && length > 0 && chunk.offset + length <= this.offer.size && crc32(chunk.data) === chunk.crc32;
    if (!good) {
      if (this.nakedAt !== this.expected) {
        this.nakedAt = this.expected;
        this.io.send(T.NAK, encodeOffset(this.offer.id, this.expected));
      }
      return;
    }
    // Beyond our window: a sender that ignores it gets its bytes dropped, not buffered.
    if (this.queued + this.inWrite + length > this.window) return;
    // The session lends chunk.data for this call only: keep a copy in the ring until written.
    const staged = this.staging.put(chunk.data);
    if (!staged) return;
    this.part.hash.update(staged);
    this.queue.push(staged);
    this.queued += length;
    this.expected += length;
    void this.flush();
  }

  /** The sender stopped: paused keeps the part file for a resume, cancelled deletes it. */
  cancelled(reason: number): void {
    if (this.state === 'finished') return;
    const keep = reason !== CancelReason.CANCELLED;
    void this.end(keep, 'FT_ERR_CANCELLED', `${this.io.peer} stopped ${this.offer.name}: ${CANCEL_REASON_TEXT[reason] ?? 'no reason given'}.${keep ? ' The part received is kept for a resume.' : ''}`);
  }

  /** We stop (the user, or a new offer on this session): the part stays unless cancelled. */
  stop(how: 'cancelled' | 'paused', message: string): void {
    if (this.state === 'finished') return;
    this.io.send(T.CANCEL, encodeReason(this.offer.id, how === 'paused' ? CancelReason.PAUSED : CancelReason.CANCELLED));
    void this.end(how === 'paused', 'FT_ERR_CANCELLED', message);
  }

  linkLost(message: string): void {
    if (this.state === 'finished') return;
    void this.end(true, 'FT_ERR_LINK', `${this.offer.name}: ${message} ${this.written} bytes are kept in ${this.part.path} for a resume.`);
  }

  private async flush(): Promise<void> {
    if (this.writing || this.state !== 'receiving') return;
    this.writing = true;
    try {
      while (this.queue.length > 0 && this.state === 'receiving') {
        const buffers = this.queue;
        const total = this.queued;
        this.queue = [];
        this.queued = 0;
        this.inWrite = total;
        let done = 0;
        while (done < total) {
          const { bytesWritten } = await this.part.handle.writev(skipBytes(buffers, done), this.written + done);
          done += bytesWritten;
        }
        this.written += total;
        this.inWrite = 0;
        this.staging.release(buffers.length);
        if (this.state !== 'receiving') return;
        this.io.send(T.PROGRESS, encodeOffset(this.offer.id, this.written));
        this.report();
      }
    } catch (error) {
      this.io.send(T.DONE, encodeDone(this.offer.id, DoneResult.WRITE_FAILED, ''));
      void this.end(true, 'FT_ERR_WRITE_FAILED', `Cannot write ${this.part.path}: ${(error as Error).message}.`);
      return;
    } finally {
      this.writing = false;
    }
    if (this.written === this.offer.size && this.state === 'receiving') await this.complete();
  }

  /** Every byte is written: check the SHA-256, then name the file or delete it. */
  private async complete(): Promise<void> {
    this.state = 'finishing';
    clearTimeout(this.idleTimer);
    const digest = this.part.hash.digest();
    await this.part.handle.close().catch(() => {});
    this.part.release();
    const id = this.offer.id;
    if (!digest.equals(Buffer.from(this.offer.sha256))) {
      await this.folder.discard(this.part);
      this.donePayload = encodeDone(id, DoneResult.HASH_MISMATCH, '');
      this.io.send(T.DONE, this.donePayload);
      return this.failed('FT_ERR_HASH_MISMATCH', `${this.offer.name}: the SHA-256 of the received file does not match the offer, so the partial file was deleted.`);
    }
    const named = await this.folder.finish(this.part);
    if (!named.ok) {
      this.donePayload = encodeDone(id, DoneResult.WRITE_FAILED, '');
      this.io.send(T.DONE, this.donePayload);
      return this.failed('FT_ERR_WRITE_FAILED', named.error);
    }
    this.donePayload = encodeDone(id, DoneResult.SAVED, named.value);
    this.io.send(T.DONE, this.donePayload);
    this.state = 'finished';
    this.onEvent({
      kind: 'done',
      transfer: this.info,
      savedAs: named.value,
      folder: this.folder.dir,
      sha256: digest.toString('hex'),
      resumedFrom: this.part.offset,
      ms: Date.now() - this.startedAt,
    });
  }

  private report(): void {
    const now = Date.now();
    if (now - this.lastEventAt < PROGRESS_EVERY_MS && this.written !== this.offer.size) return;
    this.lastEventAt = now;
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    this.onEvent({ kind: 'progress', transfer: this.info, bytes: this.written, rateBytesPerSec: (this.written - this.part.offset) / seconds });
  }

  /** The sender was heard from: one timer watches for silence (not a new timer per chunk). */
  private touch(): void {
    this.lastHeardAt = Date.now();
    if (this.idleTimer === undefined) this.watchIdle(FILE_TRANSFER_LIMITS.receiveIdleMs);
  }

  private watchIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.state !== 'receiving') return;
      const left = FILE_TRANSFER_LIMITS.receiveIdleMs - (Date.now() - this.lastHeardAt);
      if (left > 0) return this.watchIdle(left);
      this.linkLost(`nothing came from ${this.io.peer} for ${FILE_TRANSFER_LIMITS.receiveIdleMs / 1000} s.`);
    }, ms);
    this.idleTimer.unref?.();
  }

  private async end(keepPart: boolean, code: FileTransferErrorCode, message: string): Promise<void> {
    // Once finishing, the check runs to its end and reports itself.
    if (this.state !== 'receiving') return;
    this.state = 'finished';
    clearTimeout(this.idleTimer);
    while (this.writing) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.part.handle.close().catch(() => {});
    this.part.release();
    if (!keepPart) await this.folder.discard(this.part);
    this.onEvent({ kind: 'failed', transfer: this.info, code, message, bytes: this.written });
  }

  private failed(code: FileTransferErrorCode, message: string): void {
    this.state = 'finished';
    this.onEvent({ kind: 'failed', transfer: this.info, code, message, bytes: this.written });
  }
}
