/**
 * MSP v3 between two Sessions over any Duplex stream (here in-memory; the same code runs on
 * TCP, TLS and serial ports), with a relay in the middle that plays the attacker.
 */
import { describe, expect, it } from 'vitest';
import { PacketType, checksum, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { legacyClientSecurity } from '../../electron/main/link/channels/legacy-client-channel.ts';
import { plainSecurity } from '../../electron/main/link/channels/plain-channel.ts';
import { delivered, link, passwordServer, rejections, v3Client } from '../helpers/v3.ts';

const text = (s: string) => utf8Encode(s);

describe('MSP v3 over a Duplex stream', () => {
  it('round trip both ways: every packet sealed, each side shows ciphertext and plaintext, lock v3', async () => {
    const { client, server, clientEvents, serverEvents } = link({ security: v3Client('pw') }, { security: passwordServer('pw') });
    for (const message of ['one', 'two', 'three']) expect(await client.sendMessage(text(message))).toMatchObject({ ok: true });
    expect(await server.sendMessage(text('from the server'))).toMatchObject({ ok: true });

    expect(delivered(serverEvents, PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['one', 'two', 'three']);
    expect(delivered(clientEvents, PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['from the server']);
    expect(delivered(clientEvents, PacketType.SEALED_ACK).map((d) => d.text)).toEqual(['OK', 'OK', 'OK']);
    // Nothing but handshake and sealed packets on the wire; no plaintext message in any frame.
    for (const e of [...clientEvents, ...serverEvents]) {
      if (e.kind !== 'packet') continue;
      expect([0x30, 0x31, 0x32, 0x33, 0x34, 0x35]).toContain(e.packet.type);
      expect(Buffer.from(e.raw).includes('three')).toBe(false);
      expect(Buffer.from(e.raw).includes('OK')).toBe(false);
    }
    for (const s of [client, server]) expect(s.securityState).toEqual({ lock: 'v3', transport: 'plain', packets: 'v3' });
    expect(clientEvents.some((e) => e.kind === 'security' && e.security.lock === 'v3')).toBe(true);
    client.close();
  });

  it('with auto-ACK off, the ACK a user sends by hand is sealed too', async () => {
    const { client, server, serverEvents } = link({ security: v3Client('pw') }, { security: passwordServer('pw'), autoAck: false });
    const sent = client.sendMessage(text('ack me by hand'));
    await new Promise<void>((resolve) => {
      const poll = () => (delivered(serverEvents).length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(server.sendAck()).toMatchObject({ ok: true });
    expect(await sent).toMatchObject({ ok: true });
    const ack = serverEvents.find((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_ACK);
    expect(ack?.kind === 'packet' && Buffer.from(ack.plaintext!).toString()).toBe('OK');
  });

  it('every single-bit flip of a sealed DATA packet is rejected, as line noise and as an attacker fixing the CRC', async () => {
    const security = passwordServer('pw');
    /** Sends "first", then "secret" with the relay rewriting its frame; returns what the server delivered. */
    async function attempt(rewrite: (frame: Buffer) => Buffer) {
      const { client, serverEvents, relay } = link({ security: v3Client('pw') }, { security });
      expect(await client.sendMessage(text('first'))).toMatchObject({ ok: true });
      const before = serverEvents.length;
      let original: Buffer = Buffer.alloc(0);
      relay.tamper = (frame) => {
        relay.tamper = undefined;
        original = frame;
        // The forgery, then the genuine packet: a forgery that were accepted would also make the genuine one a replay.
        setImmediate(() => relay.endToServer());
        return [rewrite(frame), frame];
      };
      await client.sendMessage(text('secret')); // ACKed (the genuine packet got through) or refused: both are fine
      client.close();
      // Everything the server accepted after "first": a message, or anything else that opened (an ACK, say).
      return { original, secrets: delivered(serverEvents.slice(before)), codes: rejections(serverEvents) };
    }

    const control = await attempt(() => Buffer.alloc(0));
    expect(control.secrets.map((d) => d.text)).toEqual(['secret']); // the harness delivers an untouched packet
    const bits = control.original.length * 8;
    let caughtByTag = 0;
    for (let bit = 0; bit < bits; bit++) {
      const flip = (frame: Buffer) => {
        const forged = Buffer.from(frame);
        forged[bit >> 3] ^= 0x80 >> (bit & 7);
        return forged;
      };
      const fixCrc = (frame: Buffer) => {
        const forged = flip(frame);
        forged[forged.length - 1] = checksum(forged, 6, forged.length - 1);
        return forged;
      };
      for (const rewrite of [flip, fixCrc]) {
        const { original, secrets, codes } = await attempt(rewrite);
        // Whatever the server accepted is the genuine frame, at most once: the forgery never.
        expect(secrets.length, `bit ${bit}`).toBeLessThanOrEqual(1);
        for (const s of secrets) expect(Buffer.from(s.raw).equals(original), `bit ${bit}`).toBe(true);
        if (rewrite === fixCrc && bit >= 6 * 8 && bit < bits - 8) {
          expect(codes, `bit ${bit}`).toContain('CRYPTO_ERR_BAD_TAG'); // payload bits: the AEAD tag catches them
          caughtByTag++;
        }
      }
    }
    expect(caughtByTag).toBe(bits - 7 * 8); // every payload bit (SEQ, ciphertext, tag)
  });

  it('a replayed packet is rejected, is not delivered twice, and ends the session', async () => {
    const { client, serverEvents, relay } = link({ security: v3Client('pw') }, { security: passwordServer('pw') });
    let captured: Buffer | undefined;
    expect(await client.sendMessage(text('first'))).toMatchObject({ ok: true });
    relay.tamper = (frame) => {
      captured = frame;
      relay.tamper = undefined;
      return [frame];
    };
    expect(await client.sendMessage(text('pay 10 EUR'))).toMatchObject({ ok: true });
    relay.tamper = (frame) => [captured!, frame]; // the attacker plays the old packet again
    const third = await client.sendMessage(text('third'));
    expect(third).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_PEER_REJECTED' } });
    expect(rejections(serverEvents)).toEqual(['CRYPTO_ERR_REPLAY']);
    expect(delivered(serverEvents, PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['first', 'pay 10 EUR']);
  });

  it('a dropped packet makes the next one rejected as out of order', async () => {
    const { client, serverEvents, relay } = link({ security: v3Client('pw'), ackTimeoutMs: 300 }, { security: passwordServer('pw') });
    expect(await client.sendMessage(text('first'))).toMatchObject({ ok: true });
    relay.tamper = () => {
      relay.tamper = undefined;
      return []; // dropped
    };
    expect(await client.sendMessage(text('lost'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_ACK_TIMEOUT' } });
    expect(await client.sendMessage(text('after the gap'))).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_PEER_REJECTED' } });
    expect(rejections(serverEvents)).toEqual(['CRYPTO_ERR_OUT_OF_ORDER']);
  });

  it('a wrong password is reported as a wrong password on both sides, at the key confirmation', async () => {
    const { client, clientEvents, serverEvents } = link({ security: v3Client('wrong') }, { security: passwordServer('right') });
    const result = await client.sendMessage(text('secret'));
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
    if (!result.ok) expect(result.error.message).toBe('Wrong password: server rejected it.');
    const serverSide = serverEvents.find((e) => e.kind === 'packet' && e.rejected);
    expect(serverSide).toMatchObject({ packet: { type: PacketType.CLIENT_CONFIRM }, rejected: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
    if (serverSide?.kind === 'packet') expect(serverSide.rejected!.message).toMatch(/^Wrong password from client/);
    // No DATA was ever sent with the wrong key.
    expect(clientEvents.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
  });

  it('a plain server (no password) says so instead of leaving the client waiting', async () => {
    const { client, serverEvents } = link({ security: v3Client('pw') }, { security: plainSecurity });
    const result = await client.sendMessage(text('x'));
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_SERVER_HAS_NO_PASSWORD' } });
    expect(serverEvents.some((e) => e.kind === 'packet' && e.dir === 'in' && e.packet.type === PacketType.DATA)).toBe(false);
  });

  it('a server that does not answer the handshake: the error says so and where the scheme is chosen, never suggests a downgrade, never falls back', async () => {
    // The relay swallows the HELLO: the client hears nothing back, as from msp-secure.py.
    const silent = link({ security: v3Client('pw', { timeoutMs: 200 }) }, {});
    silent.relay.tamper = () => [];
    const result = await silent.client.sendMessage(text('secret'));
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_NO_HANDSHAKE' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/did not answer the secure handshake within 0\.2 s\. It may not speak MSP v3.*Nothing was sent\. The scheme is chosen in the connection settings/);
      expect(result.error.message).not.toMatch(/\b(use|try|switch to) (legacy|--legacy|the compatible)/i);
    }
    expect(silent.clientEvents.filter((e) => e.kind === 'packet' && e.dir === 'out').map((e) => e.kind === 'packet' && e.packet.type)).toEqual([
      PacketType.HELLO,
    ]);
  });

  it('a server that hangs up on HELLO, or ACKs it in plaintext, is not taken for a v3 server', async () => {
    const hangUp = link({ security: v3Client('pw') }, {});
    hangUp.relay.tamper = () => {
      hangUp.server.close();
      return [];
    };
    const closed = await hangUp.client.sendMessage(text('x'));
    expect(closed).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_NO_HANDSHAKE' } });
    if (!closed.ok) expect(closed.error.message).toMatch(/closed the connection without answering.*Nothing was sent/);

    const acker = link({ security: v3Client('pw') }, {});
    acker.relay.tamper = () => {
      acker.server.sendPacket({ version: 2, type: PacketType.ACK, payload: text('OK') });
      return [];
    };
    const acked = await acker.client.sendMessage(text('x'));
    expect(acked).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_NO_HANDSHAKE' } });
    if (!acked.ok) expect(acked.error.message).toMatch(/plaintext ACK/);
  });

  it('a client that starts a handshake and never finishes it is disconnected by the server', async () => {
    const { client, server, serverEvents, relay } = link({ security: v3Client('pw') }, { security: passwordServer('pw', { handshakeTimeoutMs: 200 }) });
    relay.tamper = (chunk) => (chunk[5] === PacketType.CLIENT_CONFIRM ? [] : [chunk]); // the confirmation never arrives
    expect((await client.sendMessage(text('x'))).ok).toBe(false);
    expect(server.isClosed).toBe(true);
    const closed = serverEvents.find((e) => e.kind === 'closed');
    expect(closed).toMatchObject({ error: { code: 'CRYPTO_ERR_HANDSHAKE', message: 'client started a secure handshake and did not finish it within 0.2 s.' } });
  });

  it('a HELLO of the withdrawn suite 0x01 (X25519 + scrypt) gets ALERT 4, and the client says the server speaks another handshake', async () => {
    const { client, clientEvents, serverEvents, relay } = link({ security: v3Client('pw') }, { security: passwordServer('pw') });
    // What an MSP v3 client of the first design sent: suite 1 || its X25519 public key.
    const oldHello = encodePacket({ version: 3, type: PacketType.HELLO, payload: Uint8Array.from([0x01, ...new Uint8Array(32).fill(9)]) });
    relay.tamper = () => {
      relay.tamper = undefined;
      return [Buffer.from(oldHello)];
    };
    const result = await client.sendMessage(text('x'));
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE' } });
    if (!result.ok) expect(result.error.message).toMatch(/does not support our MSP v3 handshake \(suite 2, CPace\).*Update the client and the server/);
    const alert = serverEvents.find((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.ALERT);
    expect(alert?.kind === 'packet' && [...alert.packet.payload]).toEqual([4]);
    expect(serverEvents.find((e) => e.kind === 'packet' && e.rejected)).toMatchObject({ rejected: { message: expect.stringMatching(/suite 1; this server speaks only suite 2/) } });
    expect(clientEvents.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
  });

  it('a HELLO or HELLO_REPLY with a share that is the identity, not an element, or cut short gets ALERT 5', async () => {
    const cases: Array<[string, (payload: Uint8Array) => Uint8Array]> = [
      ['identity', (p) => Uint8Array.from([...p.subarray(0, p.length - 32), ...new Uint8Array(32)])],
      ['not an element', (p) => Uint8Array.from([...p.subarray(0, p.length - 32), ...new Uint8Array(32).fill(0xff)])],
      ['cut short', (p) => p.subarray(0, p.length - 1)],
    ];
    for (const [what, rewrite] of cases) {
      // The client's HELLO rewritten on its way to the server.
      const toServer = link({ security: v3Client('pw') }, { security: passwordServer('pw') });
      toServer.relay.tamper = (chunk) => {
        toServer.relay.tamper = undefined;
        const payload = rewrite(chunk.subarray(6, chunk.length - 1));
        return [Buffer.from(encodePacket({ version: 3, type: PacketType.HELLO, payload }))];
      };
      expect(await toServer.client.sendMessage(text('x')), what).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE' } });
      const alert = toServer.serverEvents.find((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.ALERT);
      expect(alert?.kind === 'packet' && [...alert.packet.payload], what).toEqual([5]);

      // A HELLO_REPLY rewritten on its way to the client: the client sends ALERT 5.
      const toClient = link({ security: v3Client('pw') }, {});
      toClient.relay.tamper = (chunk) => {
        toClient.relay.tamper = undefined;
        const share = new Uint8Array(32).fill(0x11);
        toClient.server.sendPacket({ version: 3, type: PacketType.HELLO_REPLY, payload: rewrite(Uint8Array.from([2, ...share])) });
        return [];
      };
      const result = await toClient.client.sendMessage(text('x'));
      expect(result, what).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE' } });
      const sent = toClient.clientEvents.find((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.ALERT);
      expect(sent?.kind === 'packet' && [...sent.packet.payload], what).toEqual([5]);
    }
  });

  it('server identity binding: a client that expects another TLS certificate than the server holds never connects', async () => {
    const held = new Uint8Array(32).fill(0xa1);
    const other = new Uint8Array(32).fill(0xb2);
    const bound = link({ security: v3Client('pw', { serverIdentity: held }) }, { security: passwordServer('pw', { serverIdentity: held }) });
    expect(await bound.client.sendMessage(text('same certificate'))).toMatchObject({ ok: true });
    bound.client.close();

    const { client, clientEvents } = link({ security: v3Client('pw', { serverIdentity: other }) }, { security: passwordServer('pw', { serverIdentity: held }) });
    const result = await client.sendMessage(text('x'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['CRYPTO_ERR_SERVER_AUTH', 'CRYPTO_ERR_WRONG_PASSWORD']).toContain(result.error.code);
    expect(clientEvents.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
    expect(client.securityState.lock).not.toBe('v3');
  });

  it('plaintext DATA and a plaintext ACK inside a v3 session are refused', async () => {
    const { client, server, clientEvents, serverEvents } = link({ security: v3Client('pw') }, { security: passwordServer('pw') });
    expect(await client.sendMessage(text('sealed'))).toMatchObject({ ok: true });
    server.sendPacket({ version: 1, type: PacketType.DATA, payload: text('injected') });
    server.sendPacket({ version: 1, type: PacketType.ACK, payload: text('OK') });
    client.sendPacket({ version: 1, type: PacketType.DATA, payload: text('plain') });
    expect(await client.sendMessage(text('still fine'))).toMatchObject({ ok: true });
    expect(rejections(clientEvents)).toEqual(['CRYPTO_ERR_PLAINTEXT_REFUSED', 'CRYPTO_ERR_PLAINTEXT_REFUSED']);
    expect(rejections(serverEvents)).toEqual(['CRYPTO_ERR_PLAINTEXT_REFUSED']);
    expect(delivered(serverEvents, PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['sealed', 'still fine']);
  });
});

describe('a password server and msp-secure.py clients (legacy)', () => {
  const legacyClient = (password: string) => ({ security: legacyClientSecurity(password), version: 2 });
  /** msp-secure.py's scheme only when the server's owner asked for it (--legacy). */
  const legacyServer = (password: string, options: Parameters<typeof passwordServer>[1] = {}) =>
    passwordServer(password, { allowLegacy: true, ...options });

  it('with --legacy, decrypts and ACKs them like msp-secure.py: plaintext ACK "OK", VERSION 2; lock legacy-weak', async () => {
    const { client, server, serverEvents } = link(legacyClient('pw'), { security: legacyServer('pw') });
    expect(await client.sendMessage(text('Hi'))).toMatchObject({ ok: true });
    expect(delivered(serverEvents).map((d) => d.text)).toEqual(['Hi']);
    const ack = serverEvents.find((e) => e.kind === 'packet' && e.dir === 'out');
    expect(ack?.kind === 'packet' && Buffer.from(ack.raw).toString('hex')).toBe('aa55000902114f4b9a');
    expect(server.securityState.lock).toBe('legacy-weak');
  });

  it('closes the connection at the first failed decryption', async () => {
    const { client, server, serverEvents } = link(legacyClient('wrong'), { security: legacyServer('right') });
    const result = await client.sendMessage(text('Hi'));
    expect(result.ok).toBe(false);
    expect(server.isClosed).toBe(true);
    expect(rejections(serverEvents)).toEqual(['CRYPTO_ERR_LEGACY_DECRYPT']);
    expect(serverEvents.some((e) => e.kind === 'packet' && e.dir === 'out')).toBe(false); // no ACK: no oracle answer
  });

  it('refuses them by default (no --legacy): no ACK to ENCRYPTED_DATA, so no padding oracle; and refuses plaintext DATA with no ACK', async () => {
    const security = passwordServer('pw');
    const legacy = link({ ...legacyClient('pw'), ackTimeoutMs: 200 }, { security });
    expect(await legacy.client.sendMessage(text('Hi'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_ACK_TIMEOUT' } });
    expect(rejections(legacy.serverEvents)).toEqual(['CRYPTO_ERR_LEGACY_REFUSED']);

    const plain = link({ ackTimeoutMs: 200 }, { security });
    expect(await plain.client.sendMessage(text('plain'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_ACK_TIMEOUT' } });
    expect(rejections(plain.serverEvents)).toEqual(['CRYPTO_ERR_PLAINTEXT_REFUSED']);
    expect(plain.serverEvents.some((e) => e.kind === 'packet' && e.dir === 'out')).toBe(false);
  });

  it('refuses an address after 5 failed passwords, legacy or v3, even with the right one', async () => {
    const security = legacyServer('right', { limiter: { maxFailures: 5, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect((await link(legacyClient('wrong'), { security }).client.sendMessage(text('x'))).ok).toBe(false);
    for (let i = 0; i < 2; i++) {
      expect(await link({ security: v3Client('wrong') }, { security }).client.sendMessage(text('x'))).toMatchObject({
        ok: false,
        error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' },
      });
    }
    const blocked = link({ security: v3Client('right') }, { security });
    expect(await blocked.client.sendMessage(text('x'))).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_TOO_MANY_FAILURES' } });
    const legacyBlocked = link(legacyClient('right'), { security });
    expect((await legacyBlocked.client.sendMessage(text('x'))).ok).toBe(false);
    expect(rejections(legacyBlocked.serverEvents)).toEqual(['CRYPTO_ERR_TOO_MANY_FAILURES']);
  });
});
