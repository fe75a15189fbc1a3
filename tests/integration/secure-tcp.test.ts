/** Secure links over real sockets on 127.0.0.1: MSP v3 over TCP and TLS, msp-secure.py clients, pinning. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { legacyEncrypt, legacyKey } from '../../electron/main/link/crypto/legacy.ts';
import type { Security, SessionEvent } from '../../electron/main/link/session.ts';
import { plainSecurity } from '../../electron/main/link/channels/plain-channel.ts';
import { connectTcp, type TcpClientOptions } from '../../electron/main/link/tcp-client.ts';
import { TcpServer, type ServerEvent } from '../../electron/main/link/tcp-server.ts';
import { selfSignedIdentity, type TlsIdentity } from '../../electron/main/link/tls.ts';
import { connectTo, listenOn, readUntil } from '../helpers/net.ts';
import { hexOf } from '../helpers/vectors.ts';
import { AlertCode, encodeAlert } from '../../electron/main/link/crypto/v3/messages.ts';
import { ServerHandshake, prepareServerSecret } from '../../electron/main/link/crypto/v3/server-handshake.ts';
import { delivered, passwordServer, rejections, v3Client } from '../helpers/v3.ts';

const text = (s: string) => utf8Encode(s);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(security: Security, tls?: TlsIdentity) {
  const events: ServerEvent[] = [];
  const server = new TcpServer({
    host: '127.0.0.1',
    port: 0,
    session: { autoAck: true, version: 2, security },
    observer: (e) => events.push(e),
    ...(tls ? { tls } : {}),
  });
  const started = await server.listen();
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => server.stop());
  const sessionEvents = () => events.flatMap((e) => (e.kind === 'session' ? [e.event] : []));
  return { server, port: started.port, events, sessionEvents };
}

async function connectClient(port: number, security: Security, extra: Partial<TcpClientOptions> = {}) {
  const events: SessionEvent[] = [];
  const result = await connectTcp({
    host: '127.0.0.1',
    port,
    connectTimeoutMs: 5000,
    session: { autoAck: true, security, observer: (e) => events.push(e) },
    ...extra,
  });
  if (result.ok) cleanups.push(() => result.session.close());
  return { result, events };
}

describe('MSP v3 over TCP', () => {
  it('round trip: sealed both ways on a real socket, lock v3 on both sides', async () => {
    const { port, sessionEvents, server } = await startServer(passwordServer('pw'));
    const { result } = await connectClient(port, v3Client('pw'));
    if (!result.ok) throw new Error(result.error.message);
    for (const m of ['Hello MSP', 'second']) expect(await result.session.sendMessage(text(m))).toMatchObject({ ok: true });
    expect(delivered(sessionEvents(), PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['Hello MSP', 'second']);
    expect(result.session.securityState).toEqual({ lock: 'v3', transport: 'plain', packets: 'v3' });
    expect(server.session(1)?.securityState.lock).toBe('v3');
  });

  it('a packet replayed by a man in the middle is rejected and not delivered twice', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('pw'));
    // The attacker: a TCP proxy that forwards frames, and plays the client's second DATA twice.
    let dataFrames = 0;
    const proxy = await listenOn((clientSocket) => {
      const upstream = connectTo(port);
      const decoder = new MspDecoder();
      upstream.then((server) => {
        server.on('data', (chunk) => clientSocket.write(chunk));
        server.on('error', () => {});
        clientSocket.on('close', () => server.destroy());
        clientSocket.on('data', (chunk) => {
          for (const e of decoder.push(chunk)) {
            if (e.kind !== 'packet') continue;
            const frame = Buffer.from(e.raw);
            server.write(frame);
            if (e.packet.type === PacketType.SEALED_DATA && ++dataFrames === 2) server.write(frame);
          }
        });
      });
    });
    cleanups.push(() => proxy.close());
    const { result } = await connectClient(proxy.port, v3Client('pw'));
    if (!result.ok) throw new Error(result.error.message);
    expect(await result.session.sendMessage(text('one'))).toMatchObject({ ok: true });
    const second = await result.session.sendMessage(text('pay 10 EUR'));
    // The genuine packet was ACKed, or the session ended first: either way, never delivered twice.
    const third = await result.session.sendMessage(text('three'));
    expect(third.ok).toBe(false);
    await waitFor(() => rejections(sessionEvents()).length > 0);
    expect(rejections(sessionEvents())).toEqual(['CRYPTO_ERR_REPLAY']);
    expect(delivered(sessionEvents(), PacketType.SEALED_DATA).map((d) => d.text)).toEqual(['one', 'pay 10 EUR']);
    expect(second.ok).toBe(true);
  });

  it('parallel wrong-password handshakes from one address hit the limit: at most 5 guesses, then even the right password waits', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('right'));
    const verdicts: string[] = [];
    const guess = async (password: string) => {
      const { result } = await connectClient(port, v3Client(password));
      if (!result.ok) throw new Error(result.error.message);
      const sent = await result.session.sendMessage(text('x'));
      return sent.ok ? 'ok' : sent.error.code;
    };
    // The attack: waves of 20 handshakes at once, all from 127.0.0.1, until every one is refused.
    for (let wave = 0; wave < 10; wave++) {
      const wave20 = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(`guess-${wave}-${i}`)));
      verdicts.push(...wave20);
      if (wave20.every((v) => v === 'CRYPTO_ERR_TOO_MANY_FAILURES')) break;
    }
    const guessesJudged = verdicts.filter((v) => v === 'CRYPTO_ERR_WRONG_PASSWORD').length;
    expect(guessesJudged).toBeGreaterThan(0);
    expect(guessesJudged).toBeLessThanOrEqual(5); // DEFAULT_MAX_FAILURES per minute, however parallel
    expect(await guess('right')).toBe('CRYPTO_ERR_TOO_MANY_FAILURES');
    expect(rejections(sessionEvents()).filter((c) => c === 'CRYPTO_ERR_WRONG_PASSWORD')).toHaveLength(guessesJudged);
  });

  it('a fake server on a real socket, guessing the password with CPace, gets one wrong guess per connection and the client never connects', async () => {
    const guesses = ['123456', 'hunter2', 'letmein'];
    const judged: boolean[] = [];
    const fake = await listenOn((socket) => {
      const decoder = new MspDecoder();
      const handshake = new ServerHandshake(prepareServerSecret(guesses[judged.length]), 'victim');
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        for (const e of decoder.push(chunk)) {
          if (e.kind !== 'packet') continue;
          if (e.packet.type === PacketType.HELLO) {
            const reply = handshake.reply(e.packet, e.raw);
            if (reply.ok) socket.write(encodePacket(reply.value));
          } else if (e.packet.type === PacketType.CLIENT_CONFIRM) {
            const confirmed = handshake.confirm(e.packet);
            judged.push(confirmed.ok);
            socket.write(encodePacket(confirmed.ok ? confirmed.value.reply : encodeAlert(AlertCode.WRONG_PASSWORD)));
          }
        }
      });
    });
    cleanups.push(() => fake.close());
    for (let run = 0; run < guesses.length; run++) {
      const { result, events } = await connectClient(fake.port, v3Client('correct horse battery staple'));
      if (!result.ok) throw new Error(result.error.message);
      expect(await result.session.sendMessage(text('secret'))).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
      expect(events.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
    }
    expect(judged).toEqual([false, false, false]);
  });

  it('a wrong password is reported as such, over TCP', async () => {
    const { port } = await startServer(passwordServer('right'));
    const { result } = await connectClient(port, v3Client('wrong'));
    if (!result.ok) throw new Error(result.error.message);
    expect(await result.session.sendMessage(text('x'))).toMatchObject({
      ok: false,
      error: { code: 'CRYPTO_ERR_WRONG_PASSWORD', message: `Wrong password: 127.0.0.1:${port} rejected it.` },
    });
  });
});

describe('a password server and raw msp-secure.py packets over TCP', () => {
  const legacyPacket = (password: string, message: string) =>
    encodePacket({ version: 2, type: PacketType.ENCRYPTED_DATA, payload: legacyEncrypt(legacyKey(password), text(message)) });

  it('a default password server gives no ACK to ENCRYPTED_DATA (no padding oracle), with a log entry', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('pw'));
    const socket = await connectTo(port);
    cleanups.push(() => void socket.destroy());
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    // Random "ciphertexts" as the attacker sent them: about 1 in 256 had valid padding under the old default.
    for (let i = 0; i < 512; i++) {
      socket.write(encodePacket({ version: 2, type: PacketType.ENCRYPTED_DATA, payload: randomBytes(32) }));
    }
    socket.write(legacyPacket('pw', 'even the right password'));
    // Sentinel: the server has judged every packet once 513 refusals are logged (it keeps the connection).
    await waitFor(() => rejections(sessionEvents()).length === 513);
    expect(new Set(rejections(sessionEvents()))).toEqual(new Set(['CRYPTO_ERR_LEGACY_REFUSED']));
    expect(received).toEqual([]);
    expect(delivered(sessionEvents())).toEqual([]);
  });

  it('with --legacy, refuses plaintext DATA with no ACK and a log entry, and keeps the connection', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('pw', { allowLegacy: true }));
    const socket = await connectTo(port);
    cleanups.push(() => void socket.destroy());
    socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: text('plain') }));
    socket.write(legacyPacket('pw', 'encrypted'));
    // The one ACK that comes back is for the encrypted packet.
    expect(hexOf(await readUntil(socket, (b) => b.length >= 9))).toBe('aa55000902114f4b9a');
    expect(rejections(sessionEvents())).toEqual(['CRYPTO_ERR_PLAINTEXT_REFUSED']);
    expect(delivered(sessionEvents()).map((d) => d.text)).toEqual(['encrypted']);
  });

  it('with --legacy, closes the connection at the first failed decryption, with no reply', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('right', { allowLegacy: true }));
    const socket = await connectTo(port);
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    socket.write(legacyPacket('wrong', 'guess'));
    await once(socket, 'close');
    expect(received).toEqual([]);
    expect(rejections(sessionEvents())).toEqual(['CRYPTO_ERR_LEGACY_DECRYPT']);
  });
});

describe('TLS transport', () => {
  let identity: TlsIdentity;
  beforeAll(async () => {
    identity = await selfSignedIdentity();
  });

  it('with the right pinned fingerprint: works, lock tls; v3 inside TLS shows v3', async () => {
    const { port, sessionEvents } = await startServer(plainSecurity, identity);
    const pinned = identity.fingerprint.replaceAll(':', '').toLowerCase(); // any hex form will do
    const plain = await connectClient(port, plainSecurity, { tls: { fingerprint: pinned } });
    if (!plain.result.ok) throw new Error(plain.result.error.message);
    expect(await plain.result.session.sendMessage(text('inside TLS'))).toMatchObject({ ok: true });
    expect(plain.result.session.securityState).toEqual({ lock: 'tls', transport: 'tls', packets: 'none' });
    expect(sessionEvents().some((e) => e.kind === 'packet' && e.dir === 'in' && Buffer.from(e.packet.payload).toString() === 'inside TLS')).toBe(true);

    const secure = await startServer(passwordServer('pw'), identity);
    const v3 = await connectClient(secure.port, v3Client('pw'), { tls: { fingerprint: identity.fingerprint } });
    if (!v3.result.ok) throw new Error(v3.result.error.message);
    expect(await v3.result.session.sendMessage(text('both'))).toMatchObject({ ok: true });
    expect(v3.result.session.securityState).toEqual({ lock: 'v3', transport: 'tls', packets: 'v3' });
  });

  it('v3 is bound to the certificate: through a TLS relay with its own certificate (the client pinned the relay), the right password fails confirmation', async () => {
    const { port, sessionEvents } = await startServer(passwordServer('pw'), identity);
    // The man in the middle terminates TLS with its own certificate and forwards MSP bytes as they are.
    const relayIdentity = await selfSignedIdentity('Relay');
    const relay = createTlsServer({ cert: relayIdentity.cert, key: relayIdentity.key, minVersion: 'TLSv1.3' }, (client) => {
      const upstream = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) s.on('error', () => {});
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => relay.close(() => resolve())));
    const relayPort = (relay.address() as { port: number }).port;
    const { result, events } = await connectClient(relayPort, v3Client('pw'), { tls: { fingerprint: relayIdentity.fingerprint } });
    if (!result.ok) throw new Error(result.error.message);
    const sent = await result.session.sendMessage(text('secret'));
    expect(sent.ok).toBe(false);
    if (!sent.ok) expect(['CRYPTO_ERR_WRONG_PASSWORD', 'CRYPTO_ERR_SERVER_AUTH']).toContain(sent.error.code);
    expect(rejections(sessionEvents())).toEqual(['CRYPTO_ERR_WRONG_PASSWORD']);
    expect(events.some((e) => e.kind === 'packet' && e.dir === 'out' && e.packet.type === PacketType.SEALED_DATA)).toBe(false);
    expect(delivered(sessionEvents())).toEqual([]);

    // The control: connected directly, with the certificate the server holds, the same password works.
    const direct = await connectClient(port, v3Client('pw'), { tls: { fingerprint: identity.fingerprint } });
    if (!direct.result.ok) throw new Error(direct.result.error.message);
    expect(await direct.result.session.sendMessage(text('direct'))).toMatchObject({ ok: true });
  });

  it('with a wrong fingerprint: a clear error, and not one MSP byte reaches the server', async () => {
    const { port, sessionEvents } = await startServer(plainSecurity, identity);
    const wrong = 'AB:'.repeat(31) + 'AB';
    const { result } = await connectClient(port, plainSecurity, { tls: { fingerprint: wrong } });
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_TLS_FINGERPRINT' } });
    if (!result.ok) {
      expect(result.error.message).toContain(`its SHA-256 fingerprint is ${identity.fingerprint}, not ${wrong}`);
      expect(result.error.message).toMatch(/someone in the middle; nothing was sent/);
    }
    expect(sessionEvents().filter((e) => e.kind === 'packet')).toEqual([]);
  });

  it('without a pin, a self-signed certificate is not trusted, and the error says how to pin it', async () => {
    const { port } = await startServer(plainSecurity, identity);
    const { result } = await connectClient(port, plainSecurity, { tls: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_TLS_UNTRUSTED' } });
    if (!result.ok) expect(result.error.message).toMatch(/self-signed.*--tls-fingerprint/);
  });

  it('without a pin, a certificate the client trusts (here through an extra CA) is accepted', async () => {
    const { port } = await startServer(plainSecurity, identity);
    const { result } = await connectClient(port, plainSecurity, { tls: { ca: identity.cert } });
    if (!result.ok) throw new Error(result.error.message);
    expect(await result.session.sendMessage(text('trusted'))).toMatchObject({ ok: true });
    expect(result.session.securityState.lock).toBe('tls');
  });

  it('a TLS 1.2 client is refused; a plain client is logged as a failed TLS handshake', async () => {
    const { port, events } = await startServer(plainSecurity, identity);
    const old = connectTls({ host: '127.0.0.1', port, maxVersion: 'TLSv1.2', rejectUnauthorized: false });
    const [error] = (await once(old, 'error')) as [Error];
    expect(error.message).toMatch(/version|alert/i);
    const plain = await connectTo(port);
    plain.write(encodePacket({ version: 1, type: PacketType.DATA, payload: text('hi') }));
    await once(plain, 'close');
    await waitFor(() => events.filter((e) => e.kind === 'client-refused').length >= 2);
    for (const e of events.filter((e) => e.kind === 'client-refused')) {
      expect(e).toMatchObject({ error: { code: 'LINK_ERR_TLS_HANDSHAKE' } });
    }
  });

  it('a TLS client meeting a plain server times out with a hint', async () => {
    const { port } = await startServer(plainSecurity);
    const { result } = await connectClient(port, plainSecurity, { tls: { fingerprint: identity.fingerprint }, connectTimeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_CONNECT_TIMEOUT' } });
    if (!result.ok) expect(result.error.message).toMatch(/TLS handshake .* does the server use TLS\?/);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
