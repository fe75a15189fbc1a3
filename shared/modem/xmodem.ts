/**
 * XMODEM and YMODEM wire layouts: the control bytes, a data block, and YMODEM's block 0
 * (file name and size). The state machines that use them are in electron/main/modem/.
 *
 * A block: SOH (128 bytes) or STX (1024 bytes), block number, its complement, the data,
 * then a one-byte checksum or a CRC-16 (high byte first).
 */
import { checksum8, crc16 } from './crc.ts';

export const SOH = 0x01;
export const STX = 0x02;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
export const CAN = 0x18;
/** 'C': the receiver asks for CRC-16 blocks instead of checksums. */
export const CRC_REQUEST = 0x43;
/** Padding for the last block (CP/M end of file). */
export const SUB = 0x1a;

export type BlockCheck = 'checksum' | 'crc';

/** One data block, `data` padded with SUB to 128 or 1024 bytes. */
export function encodeBlock(seq: number, data: Uint8Array, size: 128 | 1024, check: BlockCheck, pad = SUB): Uint8Array {
  const checkLength = check === 'crc' ? 2 : 1;
  const block = new Uint8Array(3 + size + checkLength);
  block[0] = size === 1024 ? STX : SOH;
  block[1] = seq & 0xff;
  block[2] = 0xff - (seq & 0xff);
  block.set(data.subarray(0, size), 3);
  block.fill(pad, 3 + Math.min(data.length, size), 3 + size);
  if (check === 'crc') {
    const crc = crc16(block, 3, 3 + size);
    block[3 + size] = crc >>> 8;
    block[4 + size] = crc & 0xff;
  } else block[3 + size] = checksum8(block, 3, 3 + size);
  return block;
}

/** The size of a whole block that starts with this byte, or 0 if it is no block start. */
export function blockLength(start: number, check: BlockCheck): number {
  const size = start === SOH ? 128 : start === STX ? 1024 : 0;
  return size === 0 ? 0 : 3 + size + (check === 'crc' ? 2 : 1);
}

export type BlockCheckResult = { ok: true; seq: number; data: Uint8Array } | { ok: false; reason: 'number' | 'check' };

/** Checks a whole block (as long as blockLength says): the number's complement and the checksum or CRC. */
export function checkBlock(block: Uint8Array, check: BlockCheck): BlockCheckResult {
  const size = block[0] === STX ? 1024 : 128;
  if (((block[1]! + block[2]!) & 0xff) !== 0xff) return { ok: false, reason: 'number' };
  if (check === 'crc') {
    const crc = crc16(block, 3, 3 + size);
    if (block[3 + size] !== crc >>> 8 || block[4 + size] !== (crc & 0xff)) return { ok: false, reason: 'check' };
  } else if (block[3 + size] !== checksum8(block, 3, 3 + size)) return { ok: false, reason: 'check' };
  return { ok: true, seq: block[1]!, data: block.subarray(3, 3 + size) };
}

/** What YMODEM's block 0 says about a file; an empty name ends the batch. */
export interface BatchFileInfo {
  name: string;
  /** Undefined when the sender did not say. */
  size?: number;
  /** Seconds since 1970, if given. */
  mtime?: number;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** YMODEM block 0's payload: "name\0size mtime(octal) mode(octal)\0", 128 bytes or 1024 for long names. */
export function encodeBatchHeader(info: BatchFileInfo | undefined): { data: Uint8Array; size: 128 | 1024 } {
  if (!info) return { data: new Uint8Array(128), size: 128 };
  const name = textEncoder.encode(info.name);
  const meta = textEncoder.encode(`${info.size ?? 0} ${Math.max(0, Math.floor(info.mtime ?? 0)).toString(8)} 100644`);
  const length = name.length + 1 + meta.length + 1;
  const size = length <= 128 ? 128 : 1024;
  const data = new Uint8Array(size);
  data.set(name.subarray(0, size - meta.length - 2), 0);
  const metaAt = Math.min(name.length, size - meta.length - 2) + 1;
  data.set(meta, metaAt);
  return { data, size };
}

/** Reads block 0; never throws. Numbers that do not parse are left out (a hostile size is the caller's to bound). */
export function decodeBatchHeader(data: Uint8Array): BatchFileInfo {
  const nameEnd = data.indexOf(0);
  const name = textDecoder.decode(data.subarray(0, nameEnd < 0 ? data.length : nameEnd));
  if (nameEnd < 0) return { name };
  const metaEnd = data.indexOf(0, nameEnd + 1);
  const meta = textDecoder.decode(data.subarray(nameEnd + 1, metaEnd < 0 ? data.length : metaEnd)).trim();
  const [sizeText, mtimeText] = meta.split(/\s+/);
  const info: BatchFileInfo = { name };
  if (sizeText && /^\d{1,16}$/.test(sizeText)) info.size = Number(sizeText);
  if (mtimeText && /^[0-7]{1,16}$/.test(mtimeText)) info.mtime = parseInt(mtimeText, 8);
  return info;
}
