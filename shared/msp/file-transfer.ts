/**
 * The wire layout of MSP file transfer (docs/PROTOCOL.md, "File transfer"): TYPE values
 * 0x40-0x47 and their payloads. All numbers are big-endian. Decoders are pure, bounded and
 * never throw: a hostile payload gives undefined, and sizes and offsets above 2^53 are refused.
 */
import { utf8DecodeStrict, utf8Encode } from './text.ts';

export const FileTransferType = {
  /** sender → receiver: id ‖ size u64 ‖ mtime u64 (ms since 1970, 0 = unknown) ‖ SHA-256 (32) ‖ name (UTF-8, the rest) */
  OFFER: 0x40,
  /** receiver → sender: id ‖ offset u64 (0 = from the start, more = resume) ‖ window u32 (bytes it lets be in flight) */
  ACCEPT: 0x41,
  /** receiver → sender: id ‖ reason u8 (RefuseReason) */
  REFUSE: 0x42,
  /** sender → receiver: id ‖ offset u64 ‖ CRC-32 of the data u32 ‖ data */
  CHUNK: 0x43,
  /** receiver → sender: id ‖ offset u64: every byte below it is checked and written */
  PROGRESS: 0x44,
  /** receiver → sender: id ‖ offset u64: the first byte missing; the sender goes back to it */
  NAK: 0x45,
  /** receiver → sender: id ‖ result u8 (DoneResult) ‖ the name it was saved as (UTF-8, the rest) */
  DONE: 0x46,
  /** either way: id ‖ reason u8 (CancelReason) */
  CANCEL: 0x47,
} as const;

export const FILE_TRANSFER_TYPES: readonly number[] = Object.values(FileTransferType);

export const FILE_TRANSFER_NAMES: Record<number, string> = {
  0x40: 'FT_OFFER',
  0x41: 'FT_ACCEPT',
  0x42: 'FT_REFUSE',
  0x43: 'FT_CHUNK',
  0x44: 'FT_PROGRESS',
  0x45: 'FT_NAK',
  0x46: 'FT_DONE',
  0x47: 'FT_CANCEL',
};

/** Why a receiver refused an offer. */
export const RefuseReason = {
  RECEIVING_OFF: 1,
  TOO_LARGE: 2,
  NO_SPACE: 3,
  BAD_NAME: 4,
  DECLINED: 5,
  TOO_MANY_FILES: 6,
  MALFORMED: 7,
  IO_ERROR: 8,
} as const;
export type RefuseReasonCode = (typeof RefuseReason)[keyof typeof RefuseReason];

export const REFUSE_REASON_TEXT: Record<number, string> = {
  1: 'the receiver does not accept files (a server receives only with --receive-dir)',
  2: 'the file is larger than the receiver allows (--max-file-size)',
  3: 'the receiver has not enough free disk space',
  4: 'the receiver refused the file name (a path, a reserved name or control characters)',
  5: 'the receiver declined it',
  6: 'the receiver takes no more files on this connection',
  7: 'the receiver could not read the offer',
  8: 'the receiver could not create the file',
};

/** How a transfer ended on the receiver. */
export const DoneResult = {
  SAVED: 0,
  HASH_MISMATCH: 1,
  WRITE_FAILED: 2,
} as const;

/** Why a side stopped a transfer. */
export const CancelReason = {
  CANCELLED: 1,
  PAUSED: 2,
  ERROR: 3,
  TIMEOUT: 4,
} as const;

export const CANCEL_REASON_TEXT: Record<number, string> = {
  1: 'cancelled',
  2: 'paused',
  3: 'stopped by an error',
  4: 'no progress for too long',
};

export const CHUNK_HEADER_SIZE = 16;
export const OFFER_FIXED_SIZE = 52;
/** File names on the wire: 1 to 255 bytes of UTF-8 (what most file systems allow). */
export const MAX_NAME_BYTES = 255;
export const SHA256_SIZE = 32;

export interface Offer {
  id: number;
  size: number;
  /** ms since 1970; 0 = unknown. */
  mtimeMs: number;
  sha256: Uint8Array;
  name: string;
}

export interface Chunk {
  id: number;
  offset: number;
  crc32: number;
  data: Uint8Array;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function readU64(dv: DataView, at: number): number | undefined {
  const high = dv.getUint32(at);
  if (high > 0x1fffff) return undefined; // above 2^53: no file is that big
  return high * 0x1_0000_0000 + dv.getUint32(at + 4);
}

function writeU64(dv: DataView, at: number, value: number): void {
  dv.setUint32(at, Math.floor(value / 0x1_0000_0000));
  dv.setUint32(at + 4, value >>> 0);
}

export function encodeOffer(offer: Offer): Uint8Array {
  const name = utf8Encode(offer.name);
  const out = new Uint8Array(OFFER_FIXED_SIZE + name.length);
  const dv = view(out);
  dv.setUint32(0, offer.id);
  writeU64(dv, 4, offer.size);
  writeU64(dv, 12, Math.max(0, Math.floor(offer.mtimeMs)));
  out.set(offer.sha256.subarray(0, SHA256_SIZE), 20);
  out.set(name, OFFER_FIXED_SIZE);
  return out;
}

export function decodeOffer(payload: Uint8Array): Offer | undefined {
  const nameBytes = payload.length - OFFER_FIXED_SIZE;
  if (nameBytes < 1 || nameBytes > MAX_NAME_BYTES) return undefined;
  const dv = view(payload);
  const size = readU64(dv, 4);
  const mtimeMs = readU64(dv, 12);
  const name = utf8DecodeStrict(payload.subarray(OFFER_FIXED_SIZE));
  if (size === undefined || mtimeMs === undefined || name === undefined) return undefined;
  return { id: dv.getUint32(0), size, mtimeMs, sha256: payload.slice(20, 52), name };
}

/** ACCEPT, PROGRESS and NAK share one shape: id ‖ offset (‖ window for ACCEPT). */
export function encodeAccept(id: number, offset: number, window: number): Uint8Array {
  const out = new Uint8Array(16);
  const dv = view(out);
  dv.setUint32(0, id);
  writeU64(dv, 4, offset);
  dv.setUint32(12, window);
  return out;
}

export function decodeAccept(payload: Uint8Array): { id: number; offset: number; window: number } | undefined {
  if (payload.length !== 16) return undefined;
  const dv = view(payload);
  const offset = readU64(dv, 4);
  return offset === undefined ? undefined : { id: dv.getUint32(0), offset, window: dv.getUint32(12) };
}

export function encodeOffset(id: number, offset: number): Uint8Array {
  const out = new Uint8Array(12);
  const dv = view(out);
  dv.setUint32(0, id);
  writeU64(dv, 4, offset);
  return out;
}

export function decodeOffset(payload: Uint8Array): { id: number; offset: number } | undefined {
  if (payload.length !== 12) return undefined;
  const dv = view(payload);
  const offset = readU64(dv, 4);
  return offset === undefined ? undefined : { id: dv.getUint32(0), offset };
}

/** REFUSE and CANCEL: id ‖ reason. */
export function encodeReason(id: number, reason: number): Uint8Array {
  const out = new Uint8Array(5);
  view(out).setUint32(0, id);
  out[4] = reason & 0xff;
  return out;
}

export function decodeReason(payload: Uint8Array): { id: number; reason: number } | undefined {
  if (payload.length !== 5) return undefined;
  return { id: view(payload).getUint32(0), reason: payload[4] };
}

/** A CHUNK's header written in front of `data` already placed at CHUNK_HEADER_SIZE (no copy of the data). */
export function writeChunkHeader(out: Uint8Array, id: number, offset: number, crc32: number): void {
  const dv = view(out);
  dv.setUint32(0, id);
  writeU64(dv, 4, offset);
  dv.setUint32(12, crc32 >>> 0);
}

export function decodeChunk(payload: Uint8Array): Chunk | undefined {
  if (payload.length < CHUNK_HEADER_SIZE) return undefined;
  const dv = view(payload);
  const offset = readU64(dv, 4);
  if (offset === undefined) return undefined;
  return { id: dv.getUint32(0), offset, crc32: dv.getUint32(12), data: payload.subarray(CHUNK_HEADER_SIZE) };
}

export function encodeDone(id: number, result: number, savedAs: string): Uint8Array {
  const name = utf8Encode(savedAs).subarray(0, MAX_NAME_BYTES * 2);
  const out = new Uint8Array(5 + name.length);
  view(out).setUint32(0, id);
  out[4] = result;
  out.set(name, 5);
  return out;
}

export function decodeDone(payload: Uint8Array): { id: number; result: number; savedAs: string } | undefined {
  if (payload.length < 5 || payload.length > 5 + MAX_NAME_BYTES * 2) return undefined;
  const savedAs = utf8DecodeStrict(payload.subarray(5));
  if (savedAs === undefined) return undefined;
  return { id: view(payload).getUint32(0), result: payload[4], savedAs };
}

/** The TYPE range file transfer owns (0x40-0x4F; 0x48-0x4F reserved). */
export const isFileTransferType = (type: number | undefined): boolean => type !== undefined && type >= 0x40 && type <= 0x4f;
