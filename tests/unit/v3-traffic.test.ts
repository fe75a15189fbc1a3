import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PacketType, encodePacket, parsePacket, utf8Encode, type Packet } from '../../shared/msp/index.ts';
import { MAX_SEALED_PLAINTEXT, SealedTraffic } from '../../electron/main/link/crypto/v3/traffic.ts';

/** Two ends of one direction: what `sender` seals, `receiver` opens. */
function direction() {
  const key = randomBytes(32);
  return { sender: new SealedTraffic(key, randomBytes(32), 'receiver'), receiver: new SealedTraffic(randomBytes(32), key, 'sender') };
}
const data = (s: SealedTraffic, text: string): Packet => {
  const sealed = s.seal(PacketType.SEALED_DATA, utf8Encode(text));
  if (!sealed.ok) throw new Error(sealed.error.message);
  return sealed.packet;
};

describe('sealed packets', () => {
  it('open in order, and each carries its own number', () => {
    const { sender, receiver } = direction();
    const packets = ['a', 'b', 'c'].map((t) => data(sender, t));
    expect(packets.map((p) => p.payload.subarray(0, 8).at(-1))).toEqual([0, 1, 2]);
    for (const [i, p] of packets.entries()) expect(receiver.open(p)).toMatchObject({ ok: true, plaintext: Buffer.from('abc'[i]) });
  });

  it('the same message twice never gives the same bytes (no nonce reuse)', () => {
    const { sender } = direction();
    expect(Buffer.from(data(sender, 'same').payload).equals(Buffer.from(data(sender, 'same').payload))).toBe(false);
  });

  it('a replayed packet is rejected as a replay', () => {
    const { sender, receiver } = direction();
    const first = data(sender, 'pay 10 EUR');
    expect(receiver.open(first).ok).toBe(true);
    expect(receiver.open(data(sender, 'next')).ok).toBe(true);
    expect(receiver.open(first)).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_REPLAY' } });
  });

  it('a dropped or reordered packet makes the next one rejected', () => {
    const { sender, receiver } = direction();
    const [p0, p1] = [data(sender, 'zero'), data(sender, 'one')];
    expect(receiver.open(p1)).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_OUT_OF_ORDER' } });
    expect(receiver.open(p0).ok).toBe(true); // nothing was consumed by the rejected one
  });

  it('a packet of the other direction (other key) fails authentication', () => {
    const a = direction();
    const b = direction();
    expect(b.receiver.open(data(a.sender, 'x'))).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_BAD_TAG' } });
  });

  it('the header is authenticated: the same bytes under another TYPE or VERSION are rejected', () => {
    const { sender, receiver } = direction();
    const p = data(sender, 'x');
    expect(receiver.open({ ...p, type: PacketType.SEALED_ACK }).ok).toBe(false);
    expect(receiver.open({ ...p, version: 2 }).ok).toBe(false);
    expect(receiver.open(p).ok).toBe(true);
  });

  it('the largest message fits in one MSP packet; one byte more is refused, not thrown', () => {
    const { sender, receiver } = direction();
    const big = sender.seal(PacketType.SEALED_DATA, new Uint8Array(MAX_SEALED_PLAINTEXT));
    expect(big.ok).toBe(true);
    if (big.ok) {
      const parsed = parsePacket(encodePacket(big.packet));
      expect(parsed.ok && receiver.open(parsed.value).ok).toBe(true);
    }
    expect(sender.seal(PacketType.SEALED_DATA, new Uint8Array(MAX_SEALED_PLAINTEXT + 1))).toMatchObject({
      ok: false,
      error: { code: 'CRYPTO_ERR_TOO_LARGE' },
    });
  });

  it('never throws on junk', () => {
    const { receiver } = direction();
    for (const length of [0, 1, 8, 23, 24, 25, 100]) {
      expect(receiver.open({ version: 3, type: PacketType.SEALED_DATA, payload: randomBytes(length) }).ok).toBe(false);
    }
  });
});
