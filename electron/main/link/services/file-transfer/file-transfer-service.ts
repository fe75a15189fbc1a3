/**
 * MSP file transfer as a session service (docs/PROTOCOL.md, "File transfer"): TYPE 0x40-0x47.
 * Either end may send (FileSender, one file at a time per session) and receive (FileReceiver,
 * one file at a time per session) when its owner gave it a receive policy; without one, every
 * offer is refused with a reason. Under MSP v3 every message is sealed by the session.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { FILE_TRANSFER_LIMITS } from '../../../../../shared/limits.ts';
import { MAX_PACKET_SIZE, MIN_PACKET_SIZE } from '../../../../../shared/msp/index.ts';
import {
  CHUNK_HEADER_SIZE,
  FILE_TRANSFER_TYPES,
  FileTransferType as T,
  REFUSE_REASON_TEXT,
  RefuseReason,
  decodeChunk,
  decodeOffer,
  decodeReason,
  encodeReason,
  type Offer,
  type RefuseReasonCode,
} from '../../../../../shared/msp/file-transfer.ts';
import { transferError } from '../../../../../shared/errors/file-transfer.ts';
import type { TransferEvent } from '../../../../../shared/file-transfer/events.ts';
import { SEAL_OVERHEAD } from '../../crypto/v3/traffic.ts';
import type { LinkError } from '../../errors.ts';
import type { Service, ServiceDescriptor, ServiceIo } from '../service.ts';
import { FileReceiver } from './file-receiver.ts';
import { FileSender, type SendOutcome } from './file-sender.ts';
import type { ReceiveFolder } from './receive-folder.ts';

/** Into this folder (under `name` instead of the offer's when given), or refused. */
export type ReceiveDecision = { folder: ReceiveFolder; name?: string } | { refuse: RefuseReasonCode };

/**
 * One offer this end asked for (remote control's get-file on the controller, put-file on the
 * controlled side): the next offer is decided by it instead of the receive policy, once.
 */
export interface ExpectedOffer {
  decide(offer: Offer): ReceiveDecision | Promise<ReceiveDecision>;
  /** Its transfer's events (the owner's onEvent hears them too); a refusal is a 'failed' one. */
  onEvent(event: TransferEvent): void;
}

/** Who decides about an offer: the CLI's --receive-dir, or the app asking its user. */
export type ReceivePolicy = (offer: Offer, peer: string) => Promise<ReceiveDecision>;

export interface FileTransferOptions {
  /** Without it, offers are refused (RECEIVING_OFF). */
  receive?: ReceivePolicy;
  /** Data bytes per CHUNK: see chunkSizeFor. */
  chunkSize?: number;
  onEvent?: (event: TransferEvent) => void;
}

/** The largest chunk whose CHUNK packet fits `maxPacketSize`, sealed or not; whole KiB when it can. */
export function chunkSizeFor(maxPacketSize: number, serial = false): number {
  const room = maxPacketSize - MIN_PACKET_SIZE - SEAL_OVERHEAD - 1 - CHUNK_HEADER_SIZE;
  const size = room >= 1024 ? room - (room % 1024) : Math.max(room, 1);
  return serial ? Math.min(size, FILE_TRANSFER_LIMITS.serialChunkMax) : size;
}

let lastKey = 0;

export class FileTransferService implements Service {
  // Chunks are borrowed (the receiver copies them into its staging ring); offers decode into copies.
  readonly descriptor: ServiceDescriptor = { id: 'file-transfer', version: 1, types: FILE_TRANSFER_TYPES, borrowsPayload: true };
  private io: ServiceIo | undefined;
  private readonly senders = new Map<number, FileSender>();
  private receiver: FileReceiver | undefined;
  private deciding: number | undefined;
  private offers = 0;
  private nextId = 1;
  private sendChain: Promise<unknown> = Promise.resolve();
  private closed: LinkError | undefined;
  private expected: ExpectedOffer | undefined;

  constructor(private readonly options: FileTransferOptions = {}) {}

  attach(io: ServiceIo): void {
    this.io = io;
  }

  detach(reason: LinkError): void {
    this.closed = reason;
    this.expected = undefined;
    for (const sender of this.senders.values()) sender.linkLost(reason.message);
    this.receiver?.linkLost(reason.message);
  }

  /** Sends one file (after any sent before it finished); resolves when the receiver verified it, or with why not. */
  sendFile(path: string, key = `t${++lastKey}`): Promise<SendOutcome> {
    const run = () => this.sendNow(path, key);
    const result = this.sendChain.then(run, run);
    this.sendChain = result;
    return result;
  }

  /**
   * The next offer is one this end asked for: `expected` decides it and hears how it ended.
   * One at a time: undefined when another is already expected. Returns the withdrawal.
   */
  expectOffer(expected: ExpectedOffer): (() => void) | undefined {
    if (this.expected || this.closed) return undefined;
    this.expected = expected;
    return () => {
      if (this.expected === expected) this.expected = undefined;
    };
  }

  /** Stops a transfer of this session by its key (from its events). */
  stop(key: string, how: 'cancelled' | 'paused'): boolean {
    for (const sender of this.senders.values()) {
      if (sender.info.key === key) {
        sender.stop(how);
        return true;
      }
    }
    if (this.receiver?.info.key === key && !this.receiver.isFinished) {
      this.receiver.stop(how, `${this.receiver.info.name}: ${how === 'paused' ? 'paused; the part received is kept for a resume' : 'cancelled'}.`);
      return true;
    }
    return false;
  }

  receive(type: number, payload: Uint8Array): void {
    if (type === T.CHUNK) {
      const chunk = decodeChunk(payload);
      if (chunk && this.receiver?.id === chunk.id) this.receiver.chunk(chunk);
      return;
    }
    if (type === T.OFFER) return void this.onOffer(payload);
    if (payload.length < 4) return;
    const id = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
    if (type === T.CANCEL && this.receiver?.id === id) {
      const cancel = decodeReason(payload);
      if (cancel) this.receiver.cancelled(cancel.reason);
      return;
    }
    this.senders.get(id)?.receive(type, payload);
  }

  private async sendNow(path: string, key: string): Promise<SendOutcome> {
    const io = this.io;
    const name = basename(path);
    if (!io || this.closed) return { ok: false, error: transferError('FT_ERR_LINK', `${name}: ${this.closed?.message ?? 'the session is not open.'}`) };
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const info = await handle.stat();
      if (!info.isFile()) throw new Error('not a regular file');
      const sha256 = await hashFile(handle, info.size);
      const closed = this.closedReason();
      if (closed) return { ok: false, error: transferError('FT_ERR_LINK', `${name}: ${closed.message}`) };
      const id = this.nextId++;
      const sender = new FileSender(
        io,
        id,
        { handle, name, size: info.size, mtimeMs: info.mtimeMs, sha256 },
        this.options.chunkSize ?? chunkSizeFor(MAX_PACKET_SIZE),
        (event) => this.options.onEvent?.(event),
        key,
      );
      this.senders.set(id, sender);
      sender.start();
      const outcome = await sender.outcome;
      this.senders.delete(id);
      return outcome;
    } catch (error) {
      return { ok: false, error: transferError('FT_ERR_READ', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`) };
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  /** Read through a method: it changes while a send or an offer awaits. */
  private closedReason(): LinkError | undefined {
    return this.closed;
  }

  private async onOffer(payload: Uint8Array): Promise<void> {
    const io = this.io;
    if (!io || payload.length < 4) return;
    const offer = decodeOffer(payload);
    const id = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
    if (!offer) return void io.send(T.REFUSE, encodeReason(id, RefuseReason.MALFORMED));
    // The same offer again (our answer was lost, or a person is still deciding).
    if (this.deciding === id) return;
    // A new sender on the same line (a serial port outlives its sender) may reuse an id: only the
    // very same file (name, size, SHA-256) counts as the offer again, and resumes where it is.
    if (this.receiver && !this.receiver.isFinished && this.receiver.id === id && sameFile(this.receiver.offer, offer)) return this.receiver.accept();
    if (++this.offers > FILE_TRANSFER_LIMITS.maxOffersPerSession) return this.refuse(offer, RefuseReason.TOO_MANY_FILES);
    // One file at a time per session: a new offer ends the one before (its part file stays).
    this.receiver?.stop('paused', `${this.receiver.info.name}: a new offer replaced it; the part received is kept.`);
    this.receiver = undefined;
    // An offer this end asked for is decided by whoever asked, and only once.
    const expected = this.expected;
    this.expected = undefined;
    const policy = expected ? (o: Offer) => expected.decide(o) : this.options.receive;
    if (!policy) return this.refuse(offer, RefuseReason.RECEIVING_OFF);
    this.deciding = id;
    try {
      const decision = await policy(offer, io.peer);
      if (this.closedReason()) return;
      if ('refuse' in decision) return this.refuse(offer, decision.refuse, undefined, expected);
      const part = await decision.folder.openPart(offer, decision.name);
      if (this.closedReason()) {
        if (part.ok) {
          await part.value.handle.close();
          part.value.release();
        }
        return;
      }
      if (!part.ok) return this.refuse(offer, part.error.reason, part.error.why, expected);
      const onEvent = (event: TransferEvent) => {
        this.options.onEvent?.(event);
        expected?.onEvent(event);
      };
      this.receiver = new FileReceiver(io, offer, part.value, decision.folder, onEvent, `t${++lastKey}`);
      this.receiver.start();
    } finally {
      this.deciding = undefined;
    }
  }

  private refuse(offer: Offer, reason: RefuseReasonCode, why?: string, expected?: ExpectedOffer): void {
    this.io?.send(T.REFUSE, encodeReason(offer.id, reason));
    const transfer = { key: `t${++lastKey}`, dir: 'receive' as const, peer: this.io?.peer ?? '', name: offer.name, size: offer.size };
    const message = `Refused ${JSON.stringify(offer.name)} from ${transfer.peer}: ${why ?? REFUSE_REASON_TEXT[reason]}.`;
    const event = { kind: 'failed' as const, transfer, code: 'FT_ERR_REFUSED' as const, message, bytes: 0 };
    this.options.onEvent?.(event);
    expected?.onEvent(event);
  }
}

function sameFile(a: Offer, b: Offer): boolean {
  return a.name === b.name && a.size === b.size && Buffer.from(a.sha256).equals(Buffer.from(b.sha256));
}

/**
 * SHA-256 of the whole file, read in 1 MiB pieces, the next piece read while this one is hashed
 * (two buffers): on a file in the page cache the reads then cost almost nothing on top of the hash.
 */
async function hashFile(handle: FileHandle, size: number): Promise<Uint8Array> {
  const hash = createHash('sha256');
  const pieceSize = Math.min(size, 1 << 20) || 1;
  const buffers = [Buffer.allocUnsafe(pieceSize), Buffer.allocUnsafe(pieceSize)];
  const readPiece = async (at: number, buffer: Buffer) => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
    if (bytesRead === 0) throw new Error('the file became shorter while it was read');
    return buffer.subarray(0, bytesRead);
  };
  let next = size > 0 ? readPiece(0, buffers[0]!) : undefined;
  for (let at = 0, turn = 0; next; turn ^= 1) {
    const piece = await next;
    at += piece.length;
    next = at < size ? readPiece(at, buffers[turn ^ 1]!) : undefined;
    hash.update(piece);
  }
  return hash.digest();
}
