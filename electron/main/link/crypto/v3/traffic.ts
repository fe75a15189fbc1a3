/**
 * Sealed packets of an established MSP v3 session (docs/PROTOCOL.md, "Sealed packets"):
 *
 *   payload = SEQ (u64 big-endian) || AES-256-GCM ciphertext || 16-byte tag
 *   nonce   = 00 00 00 00 || SEQ
 *   AAD     = the 6 header bytes (AA 55 LENGTH VERSION TYPE) || SEQ
 *
 * Each direction has its own key and its own counter from 0, shared by SEALED_DATA and
 * SEALED_ACK. A (key, nonce) pair is never used twice: keys are new every session (fresh
 * CPace scalars on both sides), and a counter only goes up. A receiver accepts exactly the next number.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import {
  MAX_PAYLOAD_SIZE,
  MIN_PACKET_SIZE,
  PacketType,
  SYNC_0,
  SYNC_1,
  VERSION_V3,
  type Packet,
} from '../../../../../shared/msp/index.ts';
import { cryptoError, type CryptoError } from '../errors.ts';

export const SEQ_SIZE = 8;
export const TAG_SIZE = 16;
/** What sealing adds to a plaintext. */
export const SEAL_OVERHEAD = SEQ_SIZE + TAG_SIZE;
/** The largest message a sealed packet carries: 65528 - 24. */
export const MAX_SEALED_PLAINTEXT = MAX_PAYLOAD_SIZE - SEAL_OVERHEAD;
/** Packets per direction per session; far beyond any real session, well inside AES-GCM's limits. */
export const MAX_PACKETS_PER_DIRECTION = 2 ** 32;

type SealedType = typeof PacketType.SEALED_DATA | typeof PacketType.SEALED_ACK | typeof PacketType.SEALED_SERVICE;

export type Opened = { ok: true; type: SealedType; plaintext: Uint8Array } | { ok: false; error: CryptoError };

export class SealedTraffic {
  private sendSeq = 0;
  private receiveSeq = 0;

  constructor(
    private readonly sendKey: Buffer,
    private readonly receiveKey: Buffer,
    /** Who is on the other end, for error messages. */
    private readonly peer: string,
  ) {}

  /** Packets sealed so far, and accepted so far. */
  get counters(): { sent: number; received: number } {
    return { sent: this.sendSeq, received: this.receiveSeq };
  }

  seal(type: SealedType, plaintext: Uint8Array): { ok: true; packet: Packet } | { ok: false; error: CryptoError } {
    if (plaintext.length > MAX_SEALED_PLAINTEXT) {
      return fail('CRYPTO_ERR_TOO_LARGE', `The message is ${plaintext.length} bytes; a sealed packet carries at most ${MAX_SEALED_PLAINTEXT}.`);
    }
    if (this.sendSeq >= MAX_PACKETS_PER_DIRECTION) {
      return fail('CRYPTO_ERR_EXHAUSTED', `This secure session with ${this.peer} has sent its last packet number: reconnect.`);
    }
    const seq = seqBytes(this.sendSeq++);
    const payload = new Uint8Array(SEAL_OVERHEAD + plaintext.length);
    payload.set(seq, 0);
    const cipher = createCipheriv('aes-256-gcm', this.sendKey, nonceOf(seq), { authTagLength: TAG_SIZE });
    cipher.setAAD(associatedData(type, payload.length, seq));
    const body = cipher.update(plaintext);
    cipher.final(); // GCM is a stream mode: nothing is held back
    payload.set(body, SEQ_SIZE);
    payload.set(cipher.getAuthTag(), SEQ_SIZE + body.length);
    return { ok: true, packet: { version: VERSION_V3, type, payload } };
  }

  /** Authenticates and decrypts; only the next packet number is accepted. */
  open(packet: Packet): Opened {
    const { payload } = packet;
    if (packet.type !== PacketType.SEALED_DATA && packet.type !== PacketType.SEALED_ACK && packet.type !== PacketType.SEALED_SERVICE) {
      return fail('CRYPTO_ERR_BAD_TAG', `TYPE ${packet.type} is not a sealed packet.`);
    }
    if (payload.length < SEAL_OVERHEAD) {
      return fail('CRYPTO_ERR_BAD_TAG', `A sealed packet from ${this.peer} is ${payload.length} bytes, too short to hold a number and a tag.`);
    }
    const seq = payload.subarray(0, SEQ_SIZE);
    const tagAt = payload.length - TAG_SIZE;
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.receiveKey, nonceOf(seq), { authTagLength: TAG_SIZE });
      // The header as the peer must have sent it: VERSION, TYPE and LENGTH are all authenticated.
      decipher.setAAD(associatedData(packet.type, payload.length, seq, packet.version));
      decipher.setAuthTag(payload.subarray(tagAt));
      plaintext = Buffer.concat([decipher.update(payload.subarray(SEQ_SIZE, tagAt)), decipher.final()]);
    } catch {
      return fail(
        'CRYPTO_ERR_BAD_TAG',
        `A sealed packet from ${this.peer} failed authentication: it was altered or corrupted on the way, or was not sealed with this session's key.`,
      );
    }
    const number = seqNumber(seq);
    if (number < this.receiveSeq) {
      return fail('CRYPTO_ERR_REPLAY', `${this.peer} sent packet number ${number} again (${this.receiveSeq} was expected): a replay, rejected.`);
    }
    if (number > this.receiveSeq) {
      return fail(
        'CRYPTO_ERR_OUT_OF_ORDER',
        `Packet number ${number} from ${this.peer} arrived when ${this.receiveSeq} was expected: packets were lost or reordered, so it was rejected.`,
      );
    }
    this.receiveSeq++;
    return { ok: true, type: packet.type, plaintext };
  }
}

function fail(code: CryptoError['code'], message: string): { ok: false; error: CryptoError } {
  return { ok: false, error: cryptoError(code, message) };
}

function seqBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(SEQ_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32));
  view.setUint32(4, n >>> 0);
  return bytes;
}

/** The number in 8 wire bytes; above 2^53 it is only approximate, which is still "too far ahead". */
function seqNumber(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, SEQ_SIZE);
  return view.getUint32(0) * 2 ** 32 + view.getUint32(4);
}

function nonceOf(seq: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(12);
  nonce.set(seq, 4);
  return nonce;
}

function associatedData(type: number, payloadLength: number, seq: Uint8Array, version = VERSION_V3): Uint8Array {
  const length = payloadLength + MIN_PACKET_SIZE;
  const aad = new Uint8Array(6 + SEQ_SIZE);
  aad.set([SYNC_0, SYNC_1, length >>> 8, length & 0xff, version, type]);
  aad.set(seq, 6);
  return aad;
}

/** A service message's plaintext under v3: the inner TYPE, then the service's payload. */
export function servicePlaintext(type: number, payload: Uint8Array): Uint8Array {
  const plaintext = new Uint8Array(1 + payload.length);
  plaintext[0] = type;
  plaintext.set(payload, 1);
  return plaintext;
}
