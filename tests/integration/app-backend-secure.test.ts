/**
 * The app backend's secure links over real sockets on 127.0.0.1: MSP v3 with a password,
 * msp-secure.py's scheme on request, TLS with a pinned fingerprint, and the password kept
 * out of everything the backend emits or writes.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/main/app/secret-store.ts';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import type { LinkConfigInput } from '../../shared/ipc/schemas.ts';
import { linkConfigSchema } from '../../shared/ipc/schemas.ts';
import type { LinkStatus } from '../../shared/ipc/types.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { connectTo } from '../helpers/net.ts';

const PASSWORD = 'correct horse battery staple';

const opened: RecordedBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.backend.dispose()));
});

function backend(secrets = new MemorySecretStore(), handshakeTimeoutMs?: number): RecordedBackend {
  const r = recordedBackend({ security: handshakeTimeoutMs ? { handshakeTimeoutMs } : {}, secrets });
  opened.push(r);
  return r;
}

/** As the router does: validated by the contract's schema first. */
const open = (r: RecordedBackend, config: LinkConfigInput) => r.backend.openLink(linkConfigSchema.parse(config));
const typed = (value: string, remember = false) => ({ source: 'typed' as const, value, remember });
const lastStatus = (r: RecordedBackend): LinkStatus | undefined => r.payloads('link.status').at(-1);
const sendText = (input: string) => ({ format: 'text' as const, input, repeat: 1, intervalMs: 0 });
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

async function listen(server: RecordedBackend, security: object): Promise<number> {
  const listening = await open(server, { mode: 'server', bind: '127.0.0.1', port: 0, security });
  if (!listening.ok || listening.value.state !== 'listening') throw new Error(`listen failed: ${JSON.stringify(listening)}`);
  return listening.value.port;
}

describe('app backend: secure links', () => {
  it('v3: connected only after the handshake, "Hello secure" ACKed, the lock on the status and on each sealed packet', async () => {
    const server = backend();
    const port = await listen(server, { password: typed(PASSWORD) });
    expect(lastStatus(server)).toMatchObject({ state: 'listening', security: { password: true, allowLegacy: false } });
    const client = backend();
    const connected = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD) } });
    expect(connected).toMatchObject({ ok: true, value: { state: 'connected', lock: 'v3' } });
    expect(client.payloads('link.status').map((s) => s.state)).toEqual(['connecting', 'connecting', 'connected']);

    expect(client.backend.send(sendText('Hello secure')).ok).toBe(true);
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    const data = client.entries().find((e) => e.dir === 'out' && e.awaitsAck)!;
    expect(data).toMatchObject({ lock: 'v3' });
    expect(data.raw[5]).toBe(PacketType.SEALED_DATA);
    expect(text(data.plaintext)).toBe('Hello secure');
    // The wire carries ciphertext: the text is not in the raw bytes.
    expect(Buffer.from(data.raw).includes('Hello secure')).toBe(false);
    const handshake = client.entries().find((e) => e.raw[5] === PacketType.HELLO)!;
    expect(handshake.lock).toBe('none');
    await server.waitFor(() => server.entries().some((e) => text(e.plaintext) === 'Hello secure'), 'the DATA at the server');
    expect(server.entries().find((e) => text(e.plaintext) === 'Hello secure')).toMatchObject({ dir: 'in', lock: 'v3' });
  });

  it('a wrong password is an error status that says so, and the client is not connected', async () => {
    const server = backend();
    const port = await listen(server, { password: typed(PASSWORD) });
    const client = backend();
    const result = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed('not the password') } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
    expect(lastStatus(client)).toMatchObject({ state: 'error', error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
  });

  it('a v3 client at a server without a password is told so, not silently sent plaintext', async () => {
    const server = backend();
    const port = await listen(server, {});
    const client = backend();
    const result = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_SERVER_HAS_NO_PASSWORD' } });
  });

  it('a v3 client at a server that stays silent (like msp-secure.py) is told it may be the original, never downgraded', async () => {
    // msp-secure.py ignores TYPEs it does not know: a socket that reads and never answers.
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = backend(new MemorySecretStore(), 300);
      const port = (silent.address() as AddressInfo).port;
      const result = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD) } });
      expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_NO_HANDSHAKE' } });
      expect(!result.ok && result.error.message).toMatch(/msp-secure\.py/);
      // Nothing but the HELLO went out: no plaintext DATA, no legacy packet.
      expect(client.entries().map((e) => e.raw[5])).toEqual([PacketType.HELLO]);
    } finally {
      silent.close();
    }
  });

  it('a password server refuses plaintext DATA: logged as refused, no ACK', async () => {
    const server = backend();
    const port = await listen(server, { password: typed(PASSWORD) });
    const socket = await connectTo(port);
    socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('in the clear') }));
    await server.waitFor(() => server.entries().some((e) => e.rejected), 'the refused packet');
    const refused = server.entries().find((e) => e.rejected)!;
    expect(refused).toMatchObject({ dir: 'in', lock: 'none', rejected: { code: 'CRYPTO_ERR_PLAINTEXT_REFUSED' } });
    expect(server.entries().filter((e) => e.dir === 'out')).toEqual([]);
    socket.destroy();
  });

  it('the compatible mode speaks msp-secure.py\'s scheme: DATA encrypted (legacy-weak), ACKed by a password server that accepts it', async () => {
    const server = backend();
    const port = await listen(server, { password: typed(PASSWORD), allowLegacy: true });
    const client = backend();
    const connected = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD), scheme: 'legacy' } });
    expect(connected).toMatchObject({ ok: true, value: { state: 'connected', lock: 'legacy-weak' } });
    client.backend.send(sendText('Hello legacy'));
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    const data = client.entries().find((e) => e.dir === 'out')!;
    expect(data).toMatchObject({ lock: 'legacy-weak' });
    expect(data.raw[5]).toBe(PacketType.ENCRYPTED_DATA);
    // Its ACK is plaintext, as the original's: the log does not pretend otherwise.
    expect(client.entries().find((e) => e.dir === 'in')).toMatchObject({ lock: 'none' });
  });

  it('a password server refuses the compatible mode unless its owner ticked it', async () => {
    const server = backend();
    const port = await listen(server, { password: typed(PASSWORD) });
    expect(lastStatus(server)).toMatchObject({ security: { allowLegacy: false } });
    const client = backend();
    await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD), scheme: 'legacy' } });
    client.backend.send(sendText('Hello legacy'));
    await server.waitFor(() => server.entries().some((e) => e.rejected), 'the refusal');
    expect(server.entries().find((e) => e.rejected)!.rejected!.code).toBe('CRYPTO_ERR_LEGACY_REFUSED');
  });

  it('TLS: the server shows its fingerprint; a client pinning it connects with the tls lock, a wrong pin fails clearly', async () => {
    const server = backend();
    const port = await listen(server, { tls: true });
    const status = lastStatus(server);
    const fingerprint = status?.state === 'listening' ? status.security?.tlsFingerprint : undefined;
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const good = backend();
    const connected = await open(good, { mode: 'client', host: '127.0.0.1', port, security: { tls: { fingerprint: fingerprint!.toLowerCase() } } });
    expect(connected).toMatchObject({ ok: true, value: { state: 'connected', lock: 'tls' } });
    good.backend.send(sendText('over TLS'));
    await good.waitFor(() => good.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    expect(good.entries().every((e) => e.lock === 'tls')).toBe(true);

    const wrong = backend();
    const refused = await open(wrong, { mode: 'client', host: '127.0.0.1', port, security: { tls: { fingerprint: 'AB'.repeat(32) } } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LINK_ERR_TLS_FINGERPRINT' } });
  });

  it('the password appears in no event and not in the settings file; remembered only when asked, and then reused', async () => {
    const secrets = new MemorySecretStore();
    const server = backend(secrets);
    const port = await listen(server, { password: typed(PASSWORD) });
    expect(await secrets.has('server')).toBe(false);
    const client = backend(secrets);
    await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: typed(PASSWORD, true) } });
    expect(await secrets.get('client')).toBe(PASSWORD);
    const init = await client.backend.init();
    expect(init.ok && init.value.secrets).toEqual({ available: true, remembered: { client: true, server: false } });
    client.backend.send(sendText('Hello secure'));
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    await client.backend.saveSettings({ client: { host: '127.0.0.1', port } });

    // Reconnect with the remembered one: the renderer never had it.
    await client.backend.closeLink();
    const again = await open(client, { mode: 'client', host: '127.0.0.1', port, security: { password: { source: 'remembered' } } });
    expect(again).toMatchObject({ ok: true, value: { lock: 'v3' } });
    expect(await client.backend.forgetPassword('client')).toEqual({ ok: true, value: { available: true, remembered: { client: false, server: false } } });

    for (const r of [server, client]) {
      const everything = JSON.stringify(r.events, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
      expect(everything).not.toContain(PASSWORD);
    }
    expect(readFileSync(client.settingsFile, 'utf8')).not.toContain(PASSWORD);
  });

  it('"remember" with no OS encryption keeps nothing, and the snapshot says it is unavailable', async () => {
    const secrets = new MemorySecretStore(false);
    const server = backend(secrets);
    await listen(server, { password: typed(PASSWORD, true) });
    expect(await secrets.has('server')).toBe(false);
    const init = await server.backend.init();
    expect(init.ok && init.value.secrets.available).toBe(false);
  });
});
