/**
 * msp-secure.py's scheme, kept only to talk to the original: key = SHA-256(password),
 * payload = 16-byte random IV || AES-256-CBC(PKCS7(plaintext)). It has no integrity,
 * no salt and no replay protection; see docs/PROTOCOL.md for what replaces it.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Result } from '../../../../shared/result.ts';

const IV_SIZE = 16;
const BLOCK = 16;

export type LegacyDecryptError = {
  code: 'CRYPTO_ERR_LEGACY_DECRYPT';
  message: string;
};

export function legacyKey(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
}

/** The payload legacyEncrypt makes of `plaintextLength` bytes: the IV, then PKCS7 always adds 1 to 16 bytes. */
export function legacyCiphertextSize(plaintextLength: number): number {
  return IV_SIZE + (Math.floor(plaintextLength / BLOCK) + 1) * BLOCK;
}

export function legacyEncrypt(key: Uint8Array, plaintext: Uint8Array, iv: Uint8Array = randomBytes(IV_SIZE)): Uint8Array {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
}

/** Decrypts, or says why not (a wrong password shows up here as bad padding, nothing better). */
export function legacyDecrypt(
  key: Uint8Array,
  blob: Uint8Array,
): Result<Uint8Array, LegacyDecryptError> {
  if (blob.length < IV_SIZE + BLOCK || (blob.length - IV_SIZE) % BLOCK !== 0) {
    return fail(`The encrypted payload is ${blob.length} bytes; it must be a 16-byte IV plus whole 16-byte blocks.`);
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, blob.subarray(0, IV_SIZE));
    const plain = Buffer.concat([decipher.update(blob.subarray(IV_SIZE)), decipher.final()]);
    return { ok: true, value: plain };
  } catch {
    return fail('Decryption failed: the padding is wrong, so the password is most likely wrong.');
  }
}

function fail(message: string): { ok: false; error: LegacyDecryptError } {
  return { ok: false, error: { code: 'CRYPTO_ERR_LEGACY_DECRYPT', message } };
}
