/**
 * msp-secure.py's scheme on our side of a link (a client, or a serial sender, with --legacy):
 * DATA goes out as ENCRYPTED_DATA (AES-256-CBC, key = SHA-256(password)); ENCRYPTED_DATA that
 * decrypts is delivered; its ACKs are plaintext, as the original's are. Weak by design: it
 * exists only to talk to the original. Services are refused: this scheme protects only DATA.
 */
import { PacketType, isServiceType, type Packet } from '../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../shared/result.ts';
import { ACK_PAYLOAD } from '../ack-runs.ts';
import { cryptoError } from '../crypto/errors.ts';
import { legacyDecrypt, legacyEncrypt, legacyKey } from '../crypto/legacy.ts';
import type { LinkError } from '../errors.ts';
import type { ChannelIo, Received, SecureChannel, Security } from '../secure-channel.ts';

export class LegacyClientChannel implements SecureChannel {
  readonly protection = 'legacy-weak';
  readonly wireProtection = 'legacy-weak';
  readonly passesPlainData = false;
  readonly authenticated = false;

  constructor(
    private readonly key: Uint8Array,
    private readonly version: number,
    private readonly peer: string,
  ) {}

  start(_io: ChannelIo): void {}

  receive(packet: Packet): Received {
    switch (packet.type) {
      case PacketType.ENCRYPTED_DATA: {
        const opened = legacyDecrypt(this.key, packet.payload);
        // As the original: no ACK for what does not decrypt, and the link stays open.
        if (!opened.ok) return { kind: 'rejected', error: cryptoError('CRYPTO_ERR_LEGACY_DECRYPT', opened.error.message), replies: [], close: false };
        return { kind: 'data', plaintext: opened.value };
      }
      case PacketType.DATA:
        return { kind: 'data' };
      case PacketType.ACK:
        return { kind: 'ack' };
      default:
        if (!isServiceType(packet.type)) return { kind: 'ignored' };
        return { kind: 'rejected', error: servicesRefused(this.peer), replies: [], close: false };
    }
  }

  whenReady(): Promise<LinkError | undefined> {
    return Promise.resolve(undefined);
  }

  sealData(payload: Uint8Array): Result<Packet, LinkError> {
    return ok({ version: this.version, type: PacketType.ENCRYPTED_DATA, payload: legacyEncrypt(this.key, payload) });
  }

  sealAck(): Result<Packet, LinkError> {
    return ok({ version: this.version, type: PacketType.ACK, payload: ACK_PAYLOAD });
  }

  sealService(): Result<Packet, LinkError> {
    return fail(servicesRefused(this.peer));
  }

  stop(_reason: LinkError): void {}
}

function servicesRefused(peer: string): LinkError {
  return cryptoError(
    'CRYPTO_ERR_PLAINTEXT_REFUSED',
    `No services with ${peer} under msp-secure.py's scheme: it protects only DATA. Use an MSP v3 password for file transfer and remote control.`,
  );
}

/** msp-secure.py's scheme with this password, for a client or a serial sender. */
export function legacyClientSecurity(password: string): Security {
  const key = legacyKey(password);
  return { create: (peer, { version }) => new LegacyClientChannel(key, version, peer) };
}
