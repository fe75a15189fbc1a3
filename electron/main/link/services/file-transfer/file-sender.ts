/**
 * One file going out: OFFER, then CHUNKs in a sliding window (send-window.ts) from the offset
 * the receiver accepted, each with its offset and CRC-32; PROGRESS moves the window, NAK or a
 * timeout goes back to the first byte not acknowledged (go-back-N: the receiver keeps only
 * bytes in order, so it never holds more than the window). Ends with the receiver's DONE.
 */
// node:zlib's CRC-32 (the same one as shared/checksums/crc32.ts, tests/unit/crc32.test.ts): 7x faster on 64 KiB chunks.
import { crc32 } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { FILE_TRANSFER_LIMITS } from '../../../../../shared/limits.ts';
import { CRC_SIZE, HEADER_SIZE, MIN_PACKET_SIZE, payloadWithFrameRoom } from '../../../../../shared/msp/index.ts';
import {
  CANCEL_REASON_TEXT,
  CHUNK_HEADER_SIZE,
  CancelReason,
  DoneResult,
  FileTransferType as T,
  REFUSE_REASON_TEXT,
  decodeAccept,
  decodeDone,
  decodeOffset,
  decodeReason,
  encodeOffer,
  encodeReason,
  writeChunkHeader,
} from '../../../../../shared/msp/file-transfer.ts';
import { transferError, type FileTransferError } from '../../../../../shared/errors/file-transfer.ts';
import type { TransferEvent, TransferInfo } from '../../../../../shared/file-transfer/events.ts';
import type { ServiceIo } from '../service.ts';
import { ReadAhead } from './read-ahead.ts';
import { SendWindow } from './send-window.ts';

export interface OutgoingFile {
  handle: FileHandle;
  name: string;
  size: number;
  mtimeMs: number;
  sha256: Uint8Array;
}

/** Verified: the name the receiver gave it, and what was verified (size, SHA-256 in hex). */
export type SendOutcome = { ok: true; savedAs: string; resumedFrom: number; size: number; sha256: string } | { ok: false; error: FileTransferError };

interface InFlight {
  end: number;
  sentAt: number;
  resent: boolean;
}

/** How often an unanswered OFFER is sent again (a serial line may lose it). */
const OFFER_RESEND_MS = 3000;
/** Progress events at most this often (ms). */
const PROGRESS_EVERY_MS = 100;
/**
 * Room kept free in the session's write queue (it drops a peer past its maxQueuedBytes, and
 * other messages share it): chunks wait for the next PROGRESS rather than fill it. With a
 * window larger than that queue, this is what keeps a fast sender inside it.
 */
const QUEUE_MARGIN = 256 * 1024;

export class FileSender {
  readonly info: TransferInfo;
  private state: 'offered' | 'sending' | 'finished' = 'offered';
  private acked = 0;
  private next = 0;
  private highest = 0;
  private startOffset = 0;
  /** The window the receiver accepted with (at least one chunk). */
  private peerWindow = Infinity;
  private readonly inFlight: InFlight[] = [];
  private window: SendWindow;
  private readonly reader: ReadAhead;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private lastProgressAt = Date.now();
  private lastEventAt = 0;
  private readonly startedAt = Date.now();
  private settle: (outcome: SendOutcome) => void = () => {};
  readonly outcome: Promise<SendOutcome>;

  constructor(
    private readonly io: ServiceIo,
    readonly id: number,
    private readonly file: OutgoingFile,
    private readonly chunkSize: number,
    private readonly onEvent: (event: TransferEvent) => void,
    key: string,
  ) {
    this.info = { key, dir: 'send', peer: io.peer, name: file.name, size: file.size };
    this.window = new SendWindow(chunkSize, FILE_TRANSFER_LIMITS.sendWindowMax);
    // Each chunk's slot has room for the packet's header and the chunk's in front, and the packet's CRC behind.
    this.reader = new ReadAhead(file.handle, file.size, chunkSize, { before: HEADER_SIZE + CHUNK_HEADER_SIZE, after: CRC_SIZE });
    this.outcome = new Promise((resolve) => (this.settle = resolve));
  }

  start(): void {
    this.sendOffer();
    const deadline = Date.now() + FILE_TRANSFER_LIMITS.offerTimeoutMs;
    const resend = () => {
      if (this.state !== 'offered') return;
      if (Date.now() > deadline) return this.fail('FT_ERR_TIMEOUT', `${this.io.peer} did not answer the offer of ${this.file.name}.`, CancelReason.TIMEOUT);
      this.sendOffer();
      this.timer = setTimeout(resend, OFFER_RESEND_MS);
    };
    this.timer = setTimeout(resend, OFFER_RESEND_MS);
  }

  /** A message for this transfer from the receiver. */
  receive(type: number, payload: Uint8Array): void {
    if (this.state === 'finished') return;
    switch (type) {
      case T.ACCEPT: {
        const accept = decodeAccept(payload);
        if (!accept || this.state !== 'offered' || accept.offset > this.file.size) return;
        this.state = 'sending';
        this.acked = this.next = this.highest = this.startOffset = accept.offset;
        this.peerWindow = Math.max(this.chunkSize, accept.window);
        const maxWindow = Math.min(this.peerWindow, FILE_TRANSFER_LIMITS.sendWindowMax);
        this.window = new SendWindow(this.chunkSize, maxWindow);
        this.lastProgressAt = Date.now();
        this.onEvent({ kind: 'started', transfer: this.info, offset: accept.offset });
        void this.pump();
        return;
      }
      case T.REFUSE: {
        const refuse = decodeReason(payload);
        if (!refuse || this.state !== 'offered') return;
        const why = REFUSE_REASON_TEXT[refuse.reason] ?? `reason ${refuse.reason}`;
        return this.fail('FT_ERR_REFUSED', `${this.io.peer} refused ${this.file.name}: ${why}.`);
      }
      case T.PROGRESS: {
        const progress = decodeOffset(payload);
        if (progress) this.onProgress(progress.offset);
        return;
      }
      case T.NAK: {
        const nak = decodeOffset(payload);
        if (!nak || this.state !== 'sending' || nak.offset < this.acked || nak.offset >= this.next) return;
        this.rewind(nak.offset);
        return;
      }
      case T.DONE: {
        const done = decodeDone(payload);
        if (!done || this.state !== 'sending') return;
        if (done.result === DoneResult.SAVED) return this.succeed(done.savedAs);
        if (done.result === DoneResult.HASH_MISMATCH) {
          return this.fail('FT_ERR_HASH_MISMATCH', `${this.file.name}: the SHA-256 of what ${this.io.peer} received did not match, so it deleted the partial file. Send it again.`);
        }
        return this.fail('FT_ERR_WRITE_FAILED', `${this.io.peer} could not save ${this.file.name}.`);
      }
      case T.CANCEL: {
        const cancel = decodeReason(payload);
        if (!cancel) return;
        return this.fail('FT_ERR_CANCELLED', `${this.io.peer} stopped ${this.file.name}: ${CANCEL_REASON_TEXT[cancel.reason] ?? 'no reason given'}.`);
      }
    }
  }

  /** Stops here and tells the receiver (paused keeps its .part file for a resume; cancelled does not). */
  stop(reason: 'cancelled' | 'paused'): void {
    const text = reason === 'paused' ? 'paused' : 'cancelled';
    this.fail('FT_ERR_CANCELLED', `${this.file.name}: ${text}.`, reason === 'paused' ? CancelReason.PAUSED : CancelReason.CANCELLED);
  }

  /** The session ended. */
  linkLost(message: string): void {
    this.fail('FT_ERR_LINK', `${this.file.name}: ${message} Send it again to resume from byte ${this.acked}.`);
  }

  private sendOffer(): void {
    const { name, size, mtimeMs, sha256 } = this.file;
    const sent = this.io.send(T.OFFER, encodeOffer({ id: this.id, name, size, mtimeMs, sha256 }));
    if (!sent.ok) this.linkLost(sent.error.message);
  }

  private onProgress(offset: number): void {
    if (this.state !== 'sending' || offset <= this.acked || offset > this.highest) return;
    const now = Date.now();
    let sample: number | undefined;
    while (this.inFlight.length > 0 && this.inFlight[0].end <= offset) {
      const chunk = this.inFlight.shift()!;
      if (!chunk.resent) sample = now - chunk.sentAt;
    }
    if (sample !== undefined) this.window.rtt(sample);
    this.window.acked(offset - this.acked, now);
    this.acked = offset;
    this.reader.recycle(offset);
    if (this.next < offset) this.next = offset;
    this.lastProgressAt = now;
    if (now - this.lastEventAt >= PROGRESS_EVERY_MS || offset === this.file.size) {
      this.lastEventAt = now;
      const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
      this.onEvent({ kind: 'progress', transfer: this.info, bytes: offset, rateBytesPerSec: (offset - this.startOffset) / seconds });
    }
    void this.pump();
  }

  /** Go back to `offset` (everything from there is sent again). */
  private rewind(offset: number): void {
    this.window.lost();
    this.next = offset;
    while (this.inFlight.length > 0 && this.inFlight[this.inFlight.length - 1].end > offset) this.inFlight.pop();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.state === 'sending' && this.next < this.file.size && this.next - this.acked < this.window.bytes && this.queueHasRoom()) {
        const offset = this.next;
        const length = Math.min(this.chunkSize, this.file.size - offset);
        // Our window may end inside the last chunk sent, the receiver's may not: it drops a chunk that would take it past the window it accepted with.
        if (offset + length - this.acked > this.peerWindow) break;
        let slot: Uint8Array;
        try {
          slot = await this.reader.read(offset, length);
        } catch (error) {
          this.fail('FT_ERR_READ', `Cannot read ${this.file.name}: ${(error as Error).message}.`, CancelReason.ERROR);
          return;
        }
        if (this.state !== 'sending' || this.next !== offset) continue; // stopped, or went back, during the read
        // The packet is framed around the file's bytes where they were read: no copy (sent again, its bytes are the same).
        const payload = payloadWithFrameRoom(slot, CHUNK_HEADER_SIZE + length);
        writeChunkHeader(payload, this.id, offset, crc32(payload.subarray(CHUNK_HEADER_SIZE)));
        const sent = this.io.send(T.CHUNK, payload);
        if (!sent.ok) return this.linkLost(sent.error.message);
        this.inFlight.push({ end: offset + length, sentAt: Date.now(), resent: offset < this.highest });
        this.next = offset + length;
        if (this.next > this.highest) this.highest = this.next;
      }
    } finally {
      this.pumping = false;
    }
    this.armTimer();
  }

  private queueHasRoom(): boolean {
    return (this.io.queueRoom ?? Infinity) >= QUEUE_MARGIN + this.chunkSize + CHUNK_HEADER_SIZE + MIN_PACKET_SIZE;
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    if (this.state !== 'sending') return;
    this.timer = setTimeout(() => this.onTimeout(), this.window.rtoMs);
  }

  /** Nothing acknowledged in time: send again from the last acknowledged byte (or the last chunk, if only DONE is missing). */
  private onTimeout(): void {
    if (this.state !== 'sending') return;
    if (Date.now() - this.lastProgressAt > FILE_TRANSFER_LIMITS.sendStallMs) {
      return this.fail('FT_ERR_TIMEOUT', `${this.file.name}: no progress from ${this.io.peer} for ${FILE_TRANSFER_LIMITS.sendStallMs / 1000} s.`, CancelReason.TIMEOUT);
    }
    this.window.timedOut();
    const size = this.file.size;
    if (this.acked === size && size > 0) {
      // Everything arrived but DONE did not: the last chunk again makes the receiver repeat it.
      this.inFlight.length = 0;
      this.next = Math.max(this.startOffset, size - (size % this.chunkSize || this.chunkSize));
      this.acked = this.next;
    } else {
      this.inFlight.length = 0;
      this.next = this.acked;
    }
    void this.pump();
  }

  private succeed(savedAs: string): void {
    this.finish();
    this.onEvent({
      kind: 'done',
      transfer: this.info,
      savedAs,
      sha256: Buffer.from(this.file.sha256).toString('hex'),
      resumedFrom: this.startOffset,
      ms: Date.now() - this.startedAt,
    });
    this.settle({ ok: true, savedAs, resumedFrom: this.startOffset, size: this.file.size, sha256: Buffer.from(this.file.sha256).toString('hex') });
  }

  private fail(code: FileTransferError['code'], message: string, tellPeer?: number): void {
    if (this.state === 'finished') return;
    if (tellPeer !== undefined) this.io.send(T.CANCEL, encodeReason(this.id, tellPeer));
    this.finish();
    this.onEvent({ kind: 'failed', transfer: this.info, code, message, bytes: this.acked });
    this.settle({ ok: false, error: transferError(code, message) });
  }

  private finish(): void {
    this.state = 'finished';
    clearTimeout(this.timer);
  }
}
