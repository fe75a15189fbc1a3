/** The log's view of secure sessions: the lock of each packet and refused packets. */
import { describe, expect, it } from 'vitest';
import { TrafficTranslator } from '../../electron/main/app/traffic-translator.ts';
import type { SessionEvent } from '../../electron/main/link/session.ts';
import { sessionSecurity } from '../../electron/main/link/secure-channel.ts';
import { PacketType, encodePacket, utf8Encode, type Packet } from '../../shared/msp/index.ts';

let id = 0;
function packet(type: number, dir: 'in' | 'out', extra: Partial<Extract<SessionEvent, { kind: 'packet' }>> = {}): SessionEvent {
  const p: Packet = { version: 3, type, payload: utf8Encode('xx') };
  return { kind: 'packet', dir, id: ++id, at: 0, raw: encodePacket(p), packet: p, ...extra };
}
const lockOf = (translator: TrafficTranslator, event: SessionEvent) => {
  const out = translator.translate(event);
  return out?.kind === 'entry' ? out.entry.lock : undefined;
};

describe('traffic translator: locks and refusals', () => {
  it('gives each packet what protected it: v3 for sealed ones (DATA, ACK and service messages), legacy-weak for ENCRYPTED_DATA, none for a handshake or a plain ACK', () => {
    const t = new TrafficTranslator('127.0.0.1:9009');
    expect(lockOf(t, packet(PacketType.HELLO, 'out'))).toBe('none');
    expect(lockOf(t, packet(PacketType.SEALED_DATA, 'out', { plaintext: utf8Encode('Hi') }))).toBe('v3');
    expect(lockOf(t, packet(PacketType.SEALED_ACK, 'in', { plaintext: utf8Encode('OK') }))).toBe('v3');
    expect(lockOf(t, packet(PacketType.SEALED_SERVICE, 'out', { plaintext: utf8Encode('x'), serviceType: 0x43 }))).toBe('v3');
    expect(lockOf(t, packet(PacketType.ENCRYPTED_DATA, 'out', { plaintext: utf8Encode('Hi') }))).toBe('legacy-weak');
    expect(lockOf(t, packet(PacketType.ACK, 'in'))).toBe('none');
  });

  it('a security event saying the transport is TLS makes unsealed packets tls (sealed ones stay v3), and makes no log row', () => {
    const t = new TrafficTranslator('127.0.0.1:9009');
    expect(t.translate({ kind: 'security', id: ++id, at: 0, security: sessionSecurity('tls', 'none') })).toBeUndefined();
    expect(lockOf(t, packet(PacketType.DATA, 'out'))).toBe('tls');
    expect(lockOf(t, packet(PacketType.SEALED_DATA, 'out'))).toBe('v3');
  });

  it('a TLS server client starts with the tls transport', () => {
    const t = new TrafficTranslator('127.0.0.1:50000', 1, 'tls');
    expect(lockOf(t, packet(PacketType.DATA, 'in'))).toBe('tls');
  });

  it('a refused packet keeps its bytes and says why, as plain data', () => {
    const t = new TrafficTranslator('127.0.0.1:50000', 1);
    const rejected = { code: 'CRYPTO_ERR_PLAINTEXT_REFUSED' as const, message: 'Refused plaintext DATA from 127.0.0.1:50000.' };
    const out = t.translate(packet(PacketType.DATA, 'in', { rejected, decryptError: rejected.message }));
    expect(out).toMatchObject({ kind: 'entry', entry: { kind: 'packet', dir: 'in', lock: 'none', rejected, clientId: 1 } });
  });

  it('a sealed service message carries the inner TYPE its session opened or sealed; a plain one needs none (its TYPE is on the wire)', () => {
    const t = new TrafficTranslator('127.0.0.1:9009');
    const entryOf = (event: SessionEvent) => {
      const out = t.translate(event);
      return out?.kind === 'entry' ? out.entry : undefined;
    };
    expect(entryOf(packet(PacketType.SEALED_SERVICE, 'in', { serviceType: 0x43, plaintext: utf8Encode('x') }))).toMatchObject({ lock: 'v3', innerType: 0x43 });
    expect(entryOf(packet(0x43, 'in', { serviceType: 0x43 }))?.innerType).toBeUndefined();
    expect(entryOf(packet(PacketType.SEALED_SERVICE, 'in'))?.innerType).toBeUndefined();
  });
});
