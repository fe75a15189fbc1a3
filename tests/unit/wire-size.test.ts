/** The packet a message becomes, measured before it is sent, against what encryption really makes. */
import { describe, expect, it } from 'vitest';
import { legacyEncrypt, legacyKey } from '../../electron/main/link/crypto/legacy.ts';
import { checkDataPacketSize, dataPacketSize } from '../../electron/main/link/wire-size.ts';
import { SealedTraffic } from '../../electron/main/link/crypto/v3/traffic.ts';
import { PacketType, encodePacket } from '../../shared/msp/index.ts';

const key = legacyKey('pw');
const traffic = new SealedTraffic(Buffer.alloc(32, 1), Buffer.alloc(32, 2), 'test');

describe('dataPacketSize', () => {
  it.each([0, 1, 15, 16, 17, 100, 1000])('matches the packets really sent for a %i-byte message', (n) => {
    const payload = new Uint8Array(n).fill(0x41);
    expect(dataPacketSize(n, 'none')).toBe(encodePacket({ version: 1, type: PacketType.DATA, payload }).length);
    expect(dataPacketSize(n, 'legacy-weak')).toBe(encodePacket({ version: 2, type: PacketType.ENCRYPTED_DATA, payload: legacyEncrypt(key, payload) }).length);
    const sealed = traffic.seal(PacketType.SEALED_DATA, payload);
    expect(sealed.ok && dataPacketSize(n, 'v3')).toBe(sealed.ok && encodePacket(sealed.packet).length);
    expect(dataPacketSize(n, 'unsettled')).toBe(Math.max(dataPacketSize(n, 'legacy-weak'), dataPacketSize(n, 'v3')));
  });

  it('refuses by the wire size, with the size in the sentence', () => {
    expect(checkDataPacketSize(20, 'none', 48).ok).toBe(true);
    const refused = checkDataPacketSize(20, 'legacy-weak', 48);
    expect(refused).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PACKET_TOO_LARGE' } });
    expect(refused.ok || refused.error.message).toMatch(/55-byte packet, but this link sends at most 48/);
  });
});
