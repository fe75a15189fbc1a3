import { checksum } from './crc.ts';
import { CRC_SIZE, HEADER_SIZE, MAX_PAYLOAD_SIZE, MIN_PACKET_SIZE, SYNC_0, SYNC_1 } from './constants.ts';
import { utf8Encode } from './text.ts';
import { fail, ok, type Result } from '../result.ts';
import type { MspError, Packet } from './types.ts';
import { writeU16BE } from './u16.ts';

/** Checks the fields a caller may get wrong; wire bytes are never produced from bad fields. */
export function validatePacketFields(packet: Packet): MspError | undefined {
  if (packet.payload.length > MAX_PAYLOAD_SIZE) {
    return {
      code: 'MSP_ERR_PAYLOAD_TOO_LARGE',
      message: `Payload is ${packet.payload.length} bytes; an MSP packet carries at most ${MAX_PAYLOAD_SIZE}.`,
    };
  }
  for (const [name, value] of [['version', packet.version], ['type', packet.type]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) {
      return { code: 'MSP_ERR_BAD_FIELD', message: `The ${name} must be a byte (0 to 255), got ${value}.` };
    }
  }
  return undefined;
}

/** Encodes a packet, or says why it can't be. */
export function tryEncodePacket(packet: Packet): Result<Uint8Array, MspError> {
  const error = validatePacketFields(packet);
  return error ? fail(error) : ok(encodeUnchecked(packet));
}

/** Encodes a packet whose fields are known to be valid; throws (a programming error) otherwise. */
export function encodePacket(packet: Packet): Uint8Array {
  const error = validatePacketFields(packet);
  if (error) throw new RangeError(`${error.code}: ${error.message}`);
  return encodeUnchecked(packet);
}

/** Payloads made by payloadWithFrameRoom: their packet is framed around them, not copied. */
const roomy = new WeakSet<Uint8Array>();

/**
 * A payload of `length` bytes inside `buffer` (which needs `length + MIN_PACKET_SIZE` bytes),
 * with room before it for the packet's header and after it for its CRC: encodePacket then
 * writes the frame there and sends the payload's own bytes, instead of copying the payload
 * into a new packet. For big payloads sent often (file chunks of 64 KiB); the caller must not
 * change the payload or the bytes around it once it is sent.
 */
export function payloadWithFrameRoom(buffer: Uint8Array, length: number): Uint8Array {
  if (length + MIN_PACKET_SIZE > buffer.length) throw new RangeError(`a payload of ${length} bytes needs ${length + MIN_PACKET_SIZE} bytes of buffer, got ${buffer.length}`);
  const payload = buffer.subarray(HEADER_SIZE, HEADER_SIZE + length);
  roomy.add(payload);
  return payload;
}

function encodeUnchecked({ version, type, payload }: Packet): Uint8Array {
  const length = payload.length + MIN_PACKET_SIZE;
  const inPlace = roomy.has(payload);
  const out = inPlace ? new Uint8Array(payload.buffer, payload.byteOffset - HEADER_SIZE, length) : new Uint8Array(length);
  out[0] = SYNC_0;
  out[1] = SYNC_1;
  writeU16BE(out, 2, length);
  out[4] = version;
  out[5] = type;
  if (!inPlace) out.set(payload, HEADER_SIZE);
  out[length - CRC_SIZE] = checksum(payload);
  return out;
}

/** Convenience for the common case: a UTF-8 text payload. */
export function encodeTextPacket(version: number, type: number, text: string): Uint8Array {
  return encodePacket({ version, type, payload: utf8Encode(text) });
}
