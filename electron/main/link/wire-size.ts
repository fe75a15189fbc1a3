/**
 * How big the DATA packet a message becomes is on the wire, under each protection, and
 * the one check against a link's largest packet. SerialLink and the app's send both use
 * it, so the GUI cannot pass a message that the port would then refuse (msp-secure.py's
 * scheme pads; a sealed v3 packet adds a number and a tag).
 */
import { MIN_PACKET_SIZE } from '../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import { legacyCiphertextSize } from './crypto/legacy.ts';
import { SEAL_OVERHEAD } from './crypto/v3/traffic.ts';
import { linkError, type LinkError } from './errors.ts';
import type { PacketProtection } from './secure-channel.ts';

/**
 * What will protect a message. `unsettled`: a secure channel whose handshake has not said
 * yet whether it is v3 or msp-secure.py's scheme; the larger of the two is assumed.
 */
export type WireProtection = PacketProtection | 'unsettled';

export function dataPacketSize(payloadLength: number, protection: WireProtection): number {
  switch (protection) {
    case 'none':
      return MIN_PACKET_SIZE + payloadLength;
    case 'legacy-weak':
      return MIN_PACKET_SIZE + legacyCiphertextSize(payloadLength);
    case 'v3':
      return MIN_PACKET_SIZE + SEAL_OVERHEAD + payloadLength;
    case 'unsettled':
      return Math.max(dataPacketSize(payloadLength, 'legacy-weak'), dataPacketSize(payloadLength, 'v3'));
  }
}

/** Refuses a message whose packet would be larger than `maxPacketSize` (a receiver's buffer limit). */
export function checkDataPacketSize(payloadLength: number, protection: WireProtection, maxPacketSize: number): Result<null, LinkError> {
  const size = dataPacketSize(payloadLength, protection);
  if (size <= maxPacketSize) return ok(null);
  return fail(
    linkError(
      'LINK_ERR_PACKET_TOO_LARGE',
      `This message makes a ${size}-byte packet, but this link sends at most ${maxPacketSize} bytes per packet (the receiver's buffer limit): send less.`,
    ),
  );
}
