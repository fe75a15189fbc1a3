/**
 * The key schedule of MSP v3 secure sessions (docs/PROTOCOL.md, "Keys"):
 *
 *   master = scrypt(NFC(password) as UTF-8, salt, N = 2^logN, r, p, 32 bytes)
 *   shared = X25519(our ephemeral private key, the peer's ephemeral public key)
 *   th     = SHA-256(HELLO frame || HELLO_REPLY frame)            (whole frames, SYNC to CRC)
 *   key(L) = HKDF-SHA256(ikm = master || shared, salt = th, info = "MSP v3 " + L, 32 bytes)
 *   confirm tag = HMAC-SHA256(key("c2s confirm" or "s2c confirm"), th)
 *
 * The password gives authentication, the ephemeral X25519 exchange gives forward secrecy
 * and keeps a passive eavesdropper from testing password guesses against a recording.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

export interface KdfParams {
  /** N = 2^logN: scrypt's CPU and memory cost. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** 2^17, 8, 1: 128 MiB and a fraction of a second per guess (OWASP's recommended minimum). */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ logN: 17, r: 8, p: 1 });

/** A server may not make a client spend more memory than this on scrypt. */
export const MAX_KDF_MEMORY = 256 * 1024 * 1024;
/** Nor more parallel passes than this. */
export const MAX_KDF_P = 4;

/** scrypt needs 128 * r * N bytes. */
export const kdfMemory = ({ logN, r }: KdfParams): number => 128 * r * 2 ** logN;

export const SALT_SIZE = 16;
export const PUBLIC_KEY_SIZE = 32;
export const KEY_SIZE = 32;
export const CONFIRM_TAG_SIZE = 32;

/** What a password is turned into before scrypt: NFC, so "é" typed two ways is one password. */
export function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFC'), 'utf8');
}

/** The slow, memory-hard step. Asynchronous: it runs on libuv's thread pool, not the event loop. */
export function deriveMaster(password: string, salt: Uint8Array, kdf: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passwordBytes(password),
      salt,
      KEY_SIZE,
      { N: 2 ** kdf.logN, r: kdf.r, p: kdf.p, maxmem: kdfMemory(kdf) + (1 << 20) },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

// DER wrappers that turn 32 raw bytes into X25519 key objects (RFC 8410 encodings).
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface EphemeralKey {
  privateKey: KeyObject;
  /** The raw 32-byte public key, as sent in HELLO / HELLO_REPLY. */
  publicKey: Buffer;
}

/** A fresh X25519 key pair for one handshake; `privateBytes` fixed only for test vectors. */
export function ephemeralKey(privateBytes: Uint8Array = randomBytes(32)): EphemeralKey {
  const privateKey = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, privateBytes]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey: spki.subarray(X25519_SPKI_PREFIX.length) };
}

/** X25519 with the peer's raw public key; undefined for a key that gives no secret (a low-order point). */
export function sharedSecret(own: EphemeralKey, peerPublicKey: Uint8Array): Buffer | undefined {
  try {
    const publicKey = createPublicKey({
      key: Buffer.concat([X25519_SPKI_PREFIX, peerPublicKey]),
      format: 'der',
      type: 'spki',
    });
    return diffieHellman({ privateKey: own.privateKey, publicKey });
  } catch {
    return undefined; // OpenSSL refuses an all-zero result
  }
}

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

export function deriveSessionKeys(master: Uint8Array, shared: Uint8Array, th: Uint8Array): SessionKeys {
  const ikm = Buffer.concat([master, shared]);
  const key = (label: string) => Buffer.from(hkdfSync('sha256', ikm, th, `MSP v3 ${label}`, KEY_SIZE));
  const keys = { c2s: key('c2s key'), s2c: key('s2c key'), c2sConfirm: key('c2s confirm'), s2cConfirm: key('s2c confirm') };
  ikm.fill(0);
  return keys;
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

/**
 * Why a client refuses the server's scrypt parameters, if it does: weaker than `min` (a
 * man in the middle would love cheap guesses) or costlier than a client should spend.
 */
export function kdfProblem(kdf: KdfParams, min: KdfParams): string | undefined {
  if (kdf.logN < min.logN || kdf.r < min.r || kdf.p < min.p) {
    return `weaker than the minimum accepted (N = 2^${min.logN}, r = ${min.r}, p = ${min.p})`;
  }
  if (kdfMemory(kdf) > MAX_KDF_MEMORY || kdf.p > MAX_KDF_P) {
    return `costlier than allowed (at most ${MAX_KDF_MEMORY / 2 ** 20} MiB and p = ${MAX_KDF_P})`;
  }
  return undefined;
}

export const describeKdf = ({ logN, r, p }: KdfParams): string => `scrypt N = 2^${logN}, r = ${r}, p = ${p}`;
