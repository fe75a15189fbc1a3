/** What an opened v3 packet carries, for a channel's `receive`: a message, an ACK, or a service message. */
import { PacketType } from '../../../../../shared/msp/index.ts';
import { cryptoError } from '../errors.ts';
import type { Received } from '../../secure-channel.ts';

export function openedMessage(type: number, plaintext: Uint8Array): Received {
  if (type === PacketType.SEALED_DATA) return { kind: 'data', plaintext };
  if (type === PacketType.SEALED_ACK) return { kind: 'ack', plaintext };
  // SEALED_SERVICE: the inner TYPE, then the service's payload (docs/PROTOCOL.md, "Services").
  if (plaintext.length === 0) {
    return { kind: 'rejected', error: cryptoError('CRYPTO_ERR_HANDSHAKE', 'A sealed service message without its inner TYPE.'), replies: [], close: false };
  }
  // Its plaintext, as for one we seal, is the service's payload: the inner TYPE is `type`.
  const payload = plaintext.subarray(1);
  return { kind: 'service', type: plaintext[0], payload, plaintext: payload };
}
