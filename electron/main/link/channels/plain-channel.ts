/**
 * msp.py's link: nothing protects the packets. DATA and ENCRYPTED_DATA are delivered and
 * ACKed like the original does (it answers both without decrypting), ACKs pair with our
 * DATA, service messages go to their services, and a secure HELLO is told "no password here"
 * instead of being left to time out.
 */
import { PacketType, isServiceType, type Packet } from '../../../../shared/msp/index.ts';
import { ok, type Result } from '../../../../shared/result.ts';
import { ACK_PAYLOAD } from '../ack-runs.ts';
import { AlertCode, encodeAlert } from '../crypto/v3/messages.ts';
import type { LinkError } from '../errors.ts';
import type { ChannelIo, Received, SecureChannel, Security } from '../secure-channel.ts';

export class PlainChannel implements SecureChannel {
  readonly protection = 'none';
  readonly wireProtection = 'none';
  readonly passesPlainData = true;
  readonly authenticated = false;

  constructor(private readonly version: number) {}

  start(_io: ChannelIo): void {}

  receive(packet: Packet): Received {
    switch (packet.type) {
      case PacketType.DATA:
      case PacketType.ENCRYPTED_DATA:
        return { kind: 'data' };
      case PacketType.ACK:
        return { kind: 'ack' };
      case PacketType.HELLO:
        return { kind: 'handshake', replies: [encodeAlert(AlertCode.NO_PASSWORD)] };
      default:
        return isServiceType(packet.type) ? { kind: 'service', type: packet.type, payload: packet.payload } : { kind: 'ignored' };
    }
  }

  whenReady(): Promise<LinkError | undefined> {
    return Promise.resolve(undefined);
  }

  sealData(payload: Uint8Array): Result<Packet, LinkError> {
    return ok({ version: this.version, type: PacketType.DATA, payload });
  }

  sealAck(): Result<Packet, LinkError> {
    return ok({ version: this.version, type: PacketType.ACK, payload: ACK_PAYLOAD });
  }

  sealService(type: number, payload: Uint8Array): Result<Packet, LinkError> {
    return ok({ version: this.version, type, payload });
  }

  stop(_reason: LinkError): void {}
}

/** No password, no TLS-level choice here: the plain link of msp.py. */
export const plainSecurity: Security = { create: (_peer, { version }) => new PlainChannel(version) };
