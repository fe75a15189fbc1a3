/**
 * What protected one packet on the wire, for its lock in the log. Honest per packet, not
 * per session: under msp-secure.py's scheme only DATA is encrypted (its ACKs are plain), and
 * a v3 handshake travels in the clear (it is designed to), so those show the transport's lock.
 */
import { PacketType, type Packet } from '../../../shared/msp/index.ts';
import type { SecurityLock } from '../../../shared/ipc/security.ts';

export type TransportLock = 'none' | 'tls';

export function packetLock(packet: Packet, transport: TransportLock): SecurityLock {
  if (packet.type === PacketType.SEALED_DATA || packet.type === PacketType.SEALED_ACK || packet.type === PacketType.SEALED_SERVICE) return 'v3';
  if (packet.type === PacketType.ENCRYPTED_DATA) return transport === 'tls' ? 'tls' : 'legacy-weak';
  return transport;
}
