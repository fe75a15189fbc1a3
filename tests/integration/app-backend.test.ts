/**
 * The desktop app's backend over real sockets on 127.0.0.1: one instance is the server
 * panel, another the client, exactly as two windows of the app would be.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import type { LinkStatus } from '../../shared/ipc/types.ts';
import { connectTo, listenOn } from '../helpers/net.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';

const opened: RecordedBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.backend.dispose()));
});

function backend(...args: Parameters<typeof recordedBackend>): RecordedBackend {
  const r = recordedBackend(...args);
  opened.push(r);
  return r;
}

async function serverAndClient(): Promise<{ server: RecordedBackend; client: RecordedBackend; port: number }> {
  const server = backend();
  const listening = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
  if (!listening.ok || listening.value.state !== 'listening') throw new Error(`listen failed: ${JSON.stringify(listening)}`);
  const port = listening.value.port;
  const client = backend();
  const connected = await client.backend.openLink({ mode: 'client', host: '127.0.0.1', port });
  expect(connected).toMatchObject({ ok: true, value: { state: 'connected', host: '127.0.0.1', port } });
  await server.waitFor(() => server.payloads('server.clients').at(-1)?.length === 1, 'the client in the server list');
  return { server, client, port };
}

const lastStatus = (r: RecordedBackend): LinkStatus | undefined => r.payloads('link.status').at(-1);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const send = (input: string, format: 'text' | 'hex' | 'raw' = 'text', extra = {}) => ({
  format,
  input,
  repeat: 1,
  intervalMs: 0,
  ...extra,
});

describe('app backend: server panel and client over 127.0.0.1', () => {
  it('client sends "Hello MSP": the server logs the DATA, the client gets the ACK with its round-trip time', async () => {
    const { server, client } = await serverAndClient();
    expect(client.backend.send(send('Hello MSP'))).toEqual({ ok: true, value: { total: 1 } });

    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    const data = client.entries().find((e) => e.dir === 'out' && e.awaitsAck)!;
    expect(data.raw[5]).toBe(PacketType.DATA);
    expect(text(data.raw.subarray(6, -1))).toBe('Hello MSP');
    const ack = client.traffic().find((t) => t.kind === 'ack')!;
    expect(ack).toMatchObject({ kind: 'ack', dataId: data.id });
    if (ack.kind === 'ack') expect(ack.rttMs).toBeGreaterThan(0);
    const ackEntry = client.entries().find((e) => e.dir === 'in')!;
    expect([...ackEntry.raw]).toEqual([0xaa, 0x55, 0x00, 0x09, 0x01, 0x11, 0x4f, 0x4b, 0x9a]);

    await server.waitFor(() => server.entries().length >= 2, 'DATA in and ACK out on the server');
    const [dataIn, ackOut] = server.entries();
    expect(dataIn).toMatchObject({ dir: 'in', kind: 'packet', clientId: 1 });
    expect(text(dataIn.raw.subarray(6, -1))).toBe('Hello MSP');
    expect(ackOut).toMatchObject({ dir: 'out', kind: 'packet' });
    expect(dataIn.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('a raw frame with a wrong CRC is flagged on the server with the CRC it should have had, shown once', async () => {
    const { server, client } = await serverAndClient();
    const good = encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('Hello MSP') });
    const bad = Uint8Array.from(good);
    bad[bad.length - 1] = 0x00;
    const hex = Buffer.from(bad).toString('hex');
    expect(client.backend.send(send(hex, 'raw'))).toMatchObject({ ok: true });

    await server.waitFor(() => server.entries().some((e) => e.kind === 'bad-frame'), 'the bad frame');
    const badFrame = server.entries().find((e) => e.kind === 'bad-frame')!;
    expect(badFrame.error?.code).toBe('MSP_ERR_BAD_CRC');
    expect(badFrame.expectedCrc).toBe(good[good.length - 1]);
    expect([...badFrame.raw]).toEqual([...bad]);
    // Its bytes are not logged a second time as junk, and nothing was ACKed. Sentinel: a good
    // DATA sent after it, whose ACK comes back, so anything the bad frame caused has happened by then.
    expect(client.backend.send(send('sentinel'))).toMatchObject({ ok: true });
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the sentinel\'s ACK');
    await server.waitFor(() => server.entries().length >= 3, 'the sentinel and its ACK in the server log');
    expect(server.entries().map((e) => [e.dir, e.kind])).toEqual([['in', 'bad-frame'], ['in', 'packet'], ['out', 'packet']]);
    expect(client.entries().map((e) => [e.dir, e.kind])).toEqual([['out', 'raw'], ['out', 'packet'], ['in', 'packet']]);
  });

  it('junk after a bad frame is logged as junk, without the frame bytes', async () => {
    const { server, client } = await serverAndClient();
    const bad = 'aa55 0008 01 10 41 00'; // LENGTH 8, payload "A", CRC should be 41
    expect(client.backend.send(send(`${bad} 01 02 03`, 'raw'))).toMatchObject({ ok: true });
    // The frame timer gives up on the trailing bytes only after 10 s, so send a good packet to end the junk.
    expect(client.backend.send(send('after'))).toMatchObject({ ok: true });
    await server.waitFor(() => server.entries().some((e) => e.kind === 'packet' && e.dir === 'in'), 'the good packet');
    const kinds = server.entries().filter((e) => e.dir === 'in').map((e) => [e.kind, Buffer.from(e.raw).toString('hex')]);
    expect(kinds).toEqual([
      ['bad-frame', 'aa5500080110' + '4100'],
      ['junk', '010203'],
      ['packet', expect.stringMatching(/^aa55/)],
    ]);
  });

  it('disconnecting a client from the server panel: the client says the server closed the connection', async () => {
    const { server, client, port } = await serverAndClient();
    expect(server.backend.disconnectClient(1)).toEqual({ ok: true, value: null });
    await client.waitFor(() => lastStatus(client)?.state === 'error', 'the client to notice');
    expect(lastStatus(client)).toEqual({
      state: 'error',
      error: { code: 'LINK_ERR_CLOSED', message: `127.0.0.1:${port} closed the connection.` },
    });
    await server.waitFor(() => server.payloads('server.clients').at(-1)?.length === 0, 'the list to empty');
    expect(lastStatus(server)).toMatchObject({ state: 'listening', clients: 0 });
    expect(server.backend.disconnectClient(1)).toMatchObject({ ok: false, error: { code: 'APP_ERR_NO_SUCH_CLIENT' } });
  });

  it('the server broadcasts to every client and each ACK comes back with its RTT', async () => {
    const { server, client } = await serverAndClient();
    const second = backend();
    const port = (lastStatus(server) as { port: number }).port;
    await second.backend.openLink({ mode: 'client', host: '127.0.0.1', port });
    await server.waitFor(() => server.payloads('server.clients').at(-1)?.length === 2, 'two clients');

    expect(server.backend.send(send('to everyone', 'text', { to: 'all' }))).toMatchObject({ ok: true });
    await server.waitFor(() => server.traffic().filter((t) => t.kind === 'ack').length === 2, 'two ACKs');
    for (const c of [client, second]) {
      await c.waitFor(() => c.entries().some((e) => e.dir === 'in'), 'the broadcast');
      expect(text(c.entries().find((e) => e.dir === 'in')!.raw.subarray(6, -1))).toBe('to everyone');
    }
  });

  it('auto-ACK off: the server logs DATA but sends nothing back, so the client times out', async () => {
    const server = backend();
    const client = backend({ ackTimeoutMs: 300 });
    const listening = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
    const port = listening.ok && listening.value.state === 'listening' ? listening.value.port : 0;
    expect(server.backend.setAutoAck(false)).toEqual({ ok: true, value: false });
    await client.backend.openLink({ mode: 'client', host: '127.0.0.1', port });
    client.backend.send(send('anyone?'));
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack-timeout'), 'the ACK timeout');
    expect(server.entries().map((e) => e.dir)).toEqual(['in']);
    expect(server.backend.setAutoAck(true)).toEqual({ ok: true, value: true });
  });

  it('repeats a message N times at an interval, each after its ACK, reporting progress', async () => {
    const { server, client } = await serverAndClient();
    expect(client.backend.send(send('tick', 'text', { repeat: 5, intervalMs: 10 }))).toEqual({ ok: true, value: { total: 5 } });
    expect(client.backend.send(send('again', 'text', { repeat: 2 }))).toMatchObject({ ok: false, error: { code: 'APP_ERR_BUSY' } });
    await client.waitFor(() => client.payloads('packet.sendProgress').at(-1)?.running === false, 'the repeat to end');
    expect(client.payloads('packet.sendProgress').at(-1)).toEqual({ running: false, sent: 5, total: 5 });
    expect(client.traffic().filter((t) => t.kind === 'ack')).toHaveLength(5);
    await server.waitFor(() => server.entries().filter((e) => e.dir === 'in').length === 5, 'five DATA in');
  });

  it('a repeat can be stopped', async () => {
    const { client } = await serverAndClient();
    client.backend.send(send('slow', 'text', { repeat: 1000, intervalMs: 20 }));
    await client.waitFor(() => client.traffic().some((t) => t.kind === 'ack'), 'the first ACK');
    expect(client.backend.cancelSend()).toEqual({ ok: true, value: null });
    await client.waitFor(() => client.payloads('packet.sendProgress').at(-1)?.running === false, 'the repeat to stop');
    expect(client.payloads('packet.sendProgress').at(-1)!.sent).toBeLessThan(1000);
  });

  it('invalid hex is refused, never sent', async () => {
    const { server, client } = await serverAndClient();
    expect(client.backend.send(send('AA 5G', 'hex'))).toEqual({
      ok: false,
      error: { code: 'MSP_ERR_BAD_HEX', message: '"G" at column 5 is not a hex digit.' },
    });
    // Sentinel: a good DATA sent after it; once the server has it, the refused one would have come first.
    expect(client.backend.send(send('sentinel'))).toMatchObject({ ok: true });
    await server.waitFor(() => server.entries().some((e) => e.dir === 'in'), 'the sentinel');
    expect(client.entries()[0]).toMatchObject({ dir: 'out', kind: 'packet' });
    expect(text(client.entries()[0].raw.subarray(6, -1))).toBe('sentinel');
    expect(text(server.entries()[0].raw.subarray(6, -1))).toBe('sentinel');
  });

  it('a flood of packets arrives in a few batches, not one event per packet', async () => {
    const server = backend();
    const listening = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
    const port = listening.ok && listening.value.state === 'listening' ? listening.value.port : 0;
    const socket = await connectTo(port);
    const packets = Array.from({ length: 2000 }, (_, i) => encodePacket({ version: 1, type: 0x10, payload: utf8Encode(`#${i}`) }));
    socket.write(Buffer.concat(packets));
    await server.waitFor(() => server.entries().filter((e) => e.dir === 'in').length === 2000, 'all 2000 packets');
    socket.destroy();
    const batches = server.payloads('packet.traffic').length;
    expect(batches).toBeLessThan(100);
    expect(server.entries().filter((e) => e.dir === 'out')).toHaveLength(2000);
  });

  it('rates and the client list are refreshed while the link is open', async () => {
    const server = backend({ tickMs: 50 });
    const listening = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
    const port = listening.ok && listening.value.state === 'listening' ? listening.value.port : 0;
    const client = backend();
    await client.backend.openLink({ mode: 'client', host: '127.0.0.1', port });
    client.backend.send(send('x', 'text', { repeat: 3 }));
    await server.waitFor(
      () => server.payloads('server.clients').some((list) => list[0]?.packetsIn === 3),
      'the client row to count 3 packets in',
    );
    await server.waitFor(() => server.payloads('stats.rates').some((r) => r.packetsInPerSec > 0), 'a rate sample with traffic');
    const row = server.payloads('server.clients').at(-1)![0];
    expect(row).toMatchObject({ clientId: 1, packetsIn: 3, packetsOut: 3, bytesIn: 24, bytesOut: 27 });
    expect(row.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('app backend: link errors in plain words', () => {
  it('nothing listening: connection refused', async () => {
    const closed = await listenOn(() => {});
    await closed.close();
    const client = backend();
    const result = await client.backend.openLink({ mode: 'client', host: '127.0.0.1', port: closed.port });
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_REFUSED' } });
    expect(lastStatus(client)).toMatchObject({ state: 'error', error: { code: 'LINK_ERR_REFUSED' } });
    expect(client.payloads('link.status').map((s) => s.state)).toEqual(['connecting', 'error']);
  });

  it('a port already taken: address in use', async () => {
    const taken = await listenOn(() => {});
    const server = backend();
    const result = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: taken.port });
    await taken.close();
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_ADDR_IN_USE' } });
    expect(lastStatus(server)).toMatchObject({ state: 'error', error: { code: 'LINK_ERR_ADDR_IN_USE' } });
  });

  it('sending with no link says to connect first; opening twice says to disconnect first', async () => {
    const server = backend();
    expect(server.backend.send(send('x'))).toMatchObject({ ok: false, error: { code: 'APP_ERR_NOT_CONNECTED' } });
    await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
    expect(server.backend.send(send('x'))).toMatchObject({ ok: false, error: { code: 'APP_ERR_NO_CLIENTS' } });
    expect(await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 })).toMatchObject({
      ok: false,
      error: { code: 'APP_ERR_LINK_OPEN' },
    });
    expect(await server.backend.closeLink()).toEqual({ ok: true, value: { state: 'idle' } });
  });

  it('closing while connecting gives the attempt up', async () => {
    // A listener that never accepts in time is hard to get on loopback; an unroutable address stalls instead.
    const client = backend({ connectTimeoutMs: 500 });
    const attempt = client.backend.openLink({ mode: 'client', host: '10.255.255.1', port: 9 });
    await client.waitFor(() => lastStatus(client)?.state === 'connecting', 'connecting');
    await client.backend.closeLink();
    expect(lastStatus(client)).toEqual({ state: 'idle' });
    const result = await attempt;
    expect(result.ok).toBe(false);
    expect(lastStatus(client)).toEqual({ state: 'idle' });
  });
});
