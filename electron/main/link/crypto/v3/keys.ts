/**
 * The key schedule of MSP v3 secure sessions, suite 0x02 (docs/PROTOCOL.md, "Keys"):
 *
 *   PRS    = NFC(password) as UTF-8
 *   CI     = lv_cat("MSP v3 CPace", "initiator=client", "responder=server", server_identity)
 *   ISK    = CPace-ristretto255-SHA512(PRS, CI, sid, ADa = ADb = empty), client = initiator
 *   th     = SHA-256(HELLO frame || HELLO_REPLY frame)            (whole frames, SYNC to CRC)
 *   key(L) = HKDF-SHA256(ikm = ISK, salt = th, info = "MSP v3 " + L, 32 bytes)
 *   confirm tag = HMAC-SHA256(key("c2s confirm" or "s2c confirm"), th)
 *
 * CPace gives both sides the same ISK only if they used the same password; a man in the
 * middle gets one password guess per handshake, and a recording none at all.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ELEMENT_SIZE, lvCat } from '../cpace/index.ts';

/** The random session id the client sends in HELLO. */
export const SID_SIZE = 16;
/** A CPace public share (Ya, Yb): an encoded ristretto255 element. */
export const SHARE_SIZE = ELEMENT_SIZE;
export const KEY_SIZE = 32;
export const CONFIRM_TAG_SIZE = 32;
/** server_identity inside TLS: the SHA-256 fingerprint of the server's certificate. */
export const SERVER_IDENTITY_SIZE = 32;

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** PRS: NFC first, so "é" typed two ways is one password. */
export function passwordBytes(password: string): Uint8Array {
  return ascii(password.normalize('NFC'));
}

/**
 * CI, the channel identifier: names the protocol and both roles, and binds the server's TLS
 * certificate (empty outside TLS), so a run cannot be carried into another context or through
 * a TLS relay with its own certificate.
 */
export function channelIdentifier(serverIdentity: Uint8Array): Uint8Array {
  return lvCat(ascii('MSP v3 CPace'), ascii('initiator=client'), ascii('responder=server'), serverIdentity);
}

export const newSid = (): Uint8Array => randomBytes(SID_SIZE);

export function transcriptHash(helloFrame: Uint8Array, replyFrame: Uint8Array): Buffer {
  return createHash('sha256').update(helloFrame).update(replyFrame).digest();
}

export interface SessionKeys {
  /** AES-256-GCM key for packets the client sends. */
  c2s: Buffer;
  /** AES-256-GCM key for packets the server sends. */
  s2c: Buffer;
  /** HMAC key of the client's key confirmation. */
  c2sConfirm: Buffer;
  /** HMAC key of the server's key confirmation. */
  s2cConfirm: Buffer;
}

export function deriveSessionKeys(isk: Uint8Array, th: Uint8Array): SessionKeys {
  const key = (label: string) => Buffer.from(hkdfSync('sha256', isk, th, `MSP v3 ${label}`, KEY_SIZE));
  return { c2s: key('c2s key'), s2c: key('s2c key'), c2sConfirm: key('c2s confirm'), s2cConfirm: key('s2c confirm') };
}

export function confirmTag(key: Uint8Array, th: Uint8Array): Buffer {
  return createHmac('sha256', key).update(th).digest();
}

/** Constant-time comparison, so a forger learns nothing from how long a check took. */
export function sameTag(expected: Uint8Array, received: Uint8Array): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export function wipeKeys(keys: SessionKeys | undefined): void {
  if (!keys) return;
  for (const key of [keys.c2s, keys.s2c, keys.c2sConfirm, keys.s2cConfirm]) key.fill(0);
}
