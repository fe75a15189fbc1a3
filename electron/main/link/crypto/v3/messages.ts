/**
 * The handshake messages of MSP v3 (docs/PROTOCOL.md, "Handshake"). Every one is an
 * ordinary MSP frame with VERSION 3 and its own TYPE; decoding never throws on wire bytes.
 */
import { PacketType, VERSION_V3, utf8Encode, type Packet } from '../../../../../shared/msp/index.ts';
import { cryptoError, type CryptoError } from '../errors.ts';
import { CONFIRM_TAG_SIZE, SHARE_SIZE, SID_SIZE } from './keys.ts';

/**
 * The only suite: CPace-ristretto255-SHA512 (draft-irtf-cfrg-cpace-21), HKDF-SHA256,
 * HMAC-SHA256 confirmation, AES-256-GCM. Suite 0x01 (X25519 + scrypt) is withdrawn: a server
 * answers it with ALERT 4.
 */
export const SUITE_V3_CPACE = 0x02;

/** The plaintext inside every SEALED_ACK, as the original's ACK says "OK". */
export const SEALED_ACK_TEXT = utf8Encode('OK');

/** ALERT codes: the one byte an ALERT carries. No text, so a peer cannot put words in our mouth. */
export const AlertCode = {
  WRONG_PASSWORD: 1,
  NO_PASSWORD: 2,
  TOO_MANY_FAILURES: 3,
  UNSUPPORTED: 4,
  PROTOCOL: 5,
  REJECTED: 6,
  /** Too many handshakes under way at once from this address: try again when one has finished. */
  BUSY: 7,
} as const;

const ALERT_NAMES: Record<number, string> = {
  [AlertCode.WRONG_PASSWORD]: 'wrong password',
  [AlertCode.NO_PASSWORD]: 'no password on this server',
  [AlertCode.TOO_MANY_FAILURES]: 'too many failed passwords',
  [AlertCode.UNSUPPORTED]: 'unsupported suite',
  [AlertCode.PROTOCOL]: 'malformed handshake',
  [AlertCode.REJECTED]: 'packet rejected',
  [AlertCode.BUSY]: 'too many handshakes at once from this address',
};

/** An ALERT's code in words, for logs. */
export const alertName = (code: number | undefined): string => (code !== undefined && ALERT_NAMES[code]) || `unknown alert ${code ?? ''}`.trim();

export interface Hello {
  suite: number;
  /** The session id the client chose. */
  sid: Uint8Array;
  /** The client's CPace share Ya (checked by CPace, not here). */
  share: Uint8Array;
}

export interface HelloReply {
  suite: number;
  /** The server's CPace share Yb. */
  share: Uint8Array;
}

const HELLO_SIZE = 1 + SID_SIZE + SHARE_SIZE;
const REPLY_SIZE = 1 + SHARE_SIZE;

const v3 = (type: number, payload: Uint8Array): Packet => ({ version: VERSION_V3, type, payload });

/** Is this a v3 packet of this type? (A v3 TYPE with another VERSION is not.) */
export const isV3 = (packet: Packet, type: number): boolean => packet.type === type && packet.version === VERSION_V3;

/** HELLO payload: suite || sid || Ya. */
export function encodeHello(sid: Uint8Array, share: Uint8Array): Packet {
  const payload = new Uint8Array(HELLO_SIZE);
  payload[0] = SUITE_V3_CPACE;
  payload.set(sid, 1);
  payload.set(share, 1 + SID_SIZE);
  return v3(PacketType.HELLO, payload);
}

/** A HELLO, or why not: a suite we do not know (the server says "unsupported") or bad bytes. */
export function decodeHello(packet: Packet): Hello | 'unsupported' | 'malformed' {
  const p = packet.payload;
  if (p.length < 1) return 'malformed';
  if (p[0] !== SUITE_V3_CPACE) return 'unsupported';
  if (p.length !== HELLO_SIZE) return 'malformed';
  return { suite: p[0], sid: p.slice(1, 1 + SID_SIZE), share: p.slice(1 + SID_SIZE) };
}

/** HELLO_REPLY payload: suite || Yb. */
export function encodeHelloReply(share: Uint8Array): Packet {
  const payload = new Uint8Array(REPLY_SIZE);
  payload[0] = SUITE_V3_CPACE;
  payload.set(share, 1);
  return v3(PacketType.HELLO_REPLY, payload);
}

export function decodeHelloReply(packet: Packet): HelloReply | undefined {
  const p = packet.payload;
  if (p.length !== REPLY_SIZE || p[0] !== SUITE_V3_CPACE) return undefined;
  return { suite: p[0], share: p.slice(1) };
}

export function encodeConfirm(type: typeof PacketType.CLIENT_CONFIRM | typeof PacketType.SERVER_CONFIRM, tag: Uint8Array): Packet {
  return v3(type, Uint8Array.from(tag));
}

export function decodeConfirm(packet: Packet): Uint8Array | undefined {
  return packet.payload.length === CONFIRM_TAG_SIZE ? packet.payload.slice() : undefined;
}

export function encodeAlert(code: number): Packet {
  return v3(PacketType.ALERT, Uint8Array.of(code));
}

export function decodeAlert(packet: Packet): number | undefined {
  return packet.payload.length === 1 ? packet.payload[0] : undefined;
}

/** What an ALERT from `peer` means for us, in our own words (the peer sends only a code). */
export function alertError(code: number | undefined, peer: string): CryptoError {
  switch (code) {
    case AlertCode.WRONG_PASSWORD:
      return cryptoError('CRYPTO_ERR_WRONG_PASSWORD', `Wrong password: ${peer} rejected it.`);
    case AlertCode.NO_PASSWORD:
      return cryptoError(
        'CRYPTO_ERR_SERVER_HAS_NO_PASSWORD',
        `${peer} has no password set, so it cannot open a secure session: connect without a password, or give the server one.`,
      );
    case AlertCode.TOO_MANY_FAILURES:
      return cryptoError(
        'CRYPTO_ERR_TOO_MANY_FAILURES',
        `${peer} refuses this address for now after too many wrong passwords: check the password and try again in a minute.`,
      );
    case AlertCode.BUSY:
      return cryptoError(
        'CRYPTO_ERR_TOO_MANY_FAILURES',
        `${peer} is already running several secure handshakes with this address: finish or close the others and try again.`,
      );
    case AlertCode.UNSUPPORTED:
      return cryptoError(
        'CRYPTO_ERR_HANDSHAKE',
        `${peer} does not support our MSP v3 handshake (suite 2, CPace): it runs an older or newer MSP v3. ` +
          'Update the client and the server to the same version; nothing was sent.',
      );
    case AlertCode.PROTOCOL:
      return cryptoError('CRYPTO_ERR_HANDSHAKE', `${peer} found our handshake malformed and ended the session.`);
    default:
      return cryptoError('CRYPTO_ERR_PEER_REJECTED', `${peer} rejected a packet from us and ended the secure session.`);
  }
}
