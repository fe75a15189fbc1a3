import { describe, expect, it } from 'vitest';
import { legacyDecrypt, legacyEncrypt, legacyKey } from '../../electron/main/link/crypto/legacy.ts';
import { PacketType, encodePacket, parsePacket, utf8DecodeStrict, utf8Encode } from '../../shared/msp/index.ts';
import { fromHex, hexOf, vectors } from '../helpers/vectors.ts';

describe("msp-secure.py's AES-256-CBC scheme", () => {
  for (const v of vectors.encrypted) {
    it(`decrypts the original's packet for password "${v.password}", plaintext "${v.plaintext}"`, () => {
      const parsed = parsePacket(fromHex(v.bytes));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.value).toMatchObject({ version: 2, type: PacketType.ENCRYPTED_DATA });
      const plain = legacyDecrypt(legacyKey(v.password), parsed.value.payload);
      expect(plain.ok).toBe(true);
      if (plain.ok) expect(utf8DecodeStrict(plain.value)).toBe(v.plaintext);
    });

    it(`re-encrypts "${v.plaintext}" with the original's IV to the original's bytes`, () => {
      const original = fromHex(v.bytes);
      const iv = original.subarray(6, 22);
      const blob = legacyEncrypt(legacyKey(v.password), utf8Encode(v.plaintext), iv);
      const packet = encodePacket({ version: 2, type: PacketType.ENCRYPTED_DATA, payload: blob });
      expect(hexOf(packet)).toBe(v.bytes);
    });
  }

  it('gives a clear decrypt error for the wrong password', () => {
    const w = vectors.wrong_password;
    const parsed = parsePacket(fromHex(w.bytes));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(legacyDecrypt(legacyKey(w.encrypted_with), parsed.value.payload).ok).toBe(true);
    const result = legacyDecrypt(legacyKey(w.decrypt_with), parsed.value.payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_LEGACY_DECRYPT' } });
    if (!result.ok) expect(result.error.message).toMatch(/password/);
  });

  it('rejects a blob that is not IV plus whole blocks instead of throwing', () => {
    expect(legacyDecrypt(legacyKey('x'), new Uint8Array(20))).toMatchObject({ ok: false });
  });

  it('the secure server ACK is plaintext OK with version 2', () => {
    const parsed = parsePacket(fromHex(vectors.secure_server_ack));
    expect(parsed.ok && parsed.value.type === PacketType.ACK && parsed.value.version === 2).toBe(true);
  });
});
