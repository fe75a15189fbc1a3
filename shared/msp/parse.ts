import { checksum } from './crc.ts';
import { HEADER_SIZE, MIN_PACKET_SIZE, SYNC_0, SYNC_1 } from './constants.ts';
import { fail, ok, type Result } from '../result.ts';
import { hexByte } from './hex.ts';
import type { MspError, Packet } from './types.ts';
import { readU16BE } from './u16.ts';
import { utf8DecodeStrict } from './text.ts';

export interface ParseOptions {
  /** Reject payloads that are not UTF-8, as the original does (it raises). Default false: bytes are bytes. */
  requireUtf8?: boolean;
}

/**
 * Parses one buffer as exactly one packet, with the original's checks and verdicts
 * (`Invalid SYNC`, `Packet too short`, `Invalid length`, `CRC mismatch`). This is the
 * datagram view of msp.py's `recv(1024)`; use `MspDecoder` for a byte stream.
 */
export function parsePacket(bytes: Uint8Array, options: ParseOptions = {}): Result<Packet, MspError> {
  if (bytes.length < 2 || bytes[0] !== SYNC_0 || bytes[1] !== SYNC_1) {
    return fail({ code: 'MSP_ERR_BAD_SYNC', message: 'Invalid SYNC: a packet must start with AA 55.' });
  }
  if (bytes.length < MIN_PACKET_SIZE) {
    return fail({
      code: 'MSP_ERR_TOO_SHORT',
      message: `Packet too short: ${bytes.length} bytes, a packet has at least ${MIN_PACKET_SIZE}.`,
    });
  }
  const length = readU16BE(bytes, 2);
  if (length !== bytes.length) {
    return fail({
      code: 'MSP_ERR_BAD_LENGTH',
      message: `Invalid length: the LENGTH field says ${length} bytes but ${bytes.length} arrived.`,
    });
  }
  const crc = bytes[length - 1];
  const expected = checksum(bytes, HEADER_SIZE, length - 1);
  if (crc !== expected) return fail(crcError(crc, expected));
  const packet: Packet = { version: bytes[4], type: bytes[5], payload: bytes.subarray(HEADER_SIZE, length - 1) };
  if (options.requireUtf8 && utf8DecodeStrict(packet.payload) === undefined) {
    return fail({ code: 'MSP_ERR_INVALID_UTF8', message: 'The payload is not valid UTF-8 text.' });
  }
  return ok(packet);
}

export function crcError(got: number, expected: number): MspError {
  return {
    code: 'MSP_ERR_BAD_CRC',
    message: `CRC mismatch: the packet says ${hexByte(got)}, its payload sums to ${hexByte(expected)}.`,
  };
}
