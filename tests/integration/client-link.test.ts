/**
 * The client side of a link over real sockets on 127.0.0.1: ACK timeouts per packet,
 * resets reported as LinkErrors (never an unhandled rejection), reconnecting with backoff.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, utf8Encode } from '../../shared/msp/index.ts';
import { Backoff, connectTcpWithRetry } from '../../electron/main/link/reconnect.ts';
import type { SessionEvent } from '../../electron/main/link/session.ts';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { TcpServer, type ServerEvent } from '../../electron/main/link/tcp-server.ts';
import type { LinkError } from '../../electron/main/link/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { connectTo, listenOn } from '../helpers/net.ts';

const ACK = Buffer.from('aa55000901114f4b9a', 'hex');

/** A server whose answer to each DATA the test decides: ACK it, stay silent, or reset the link. */
async function scriptedServer(answer: (dataIndex: number, connectionIndex: number) => 'ack' | 'silence' | 'reset') {
  let dataIndex = 0;
  let connectionIndex = 0;
  const received: string[] = [];
  const server = await listenOn((socket) => {
    const connection = connectionIndex++;
    const decoder = new MspDecoder();
    socket.on('data', (chunk) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'packet' || event.packet.type !== PacketType.DATA) continue;
        received.push(Buffer.from(event.packet.payload).toString());
        const what = answer(dataIndex++, connection);
        if (what === 'ack') socket.write(ACK);
        if (what === 'reset') socket.resetAndDestroy();
      }
    });
  });
  return { ...server, received };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const sessionOptions = (events: SessionEvent[], ackTimeoutMs = 5000) => ({
  autoAck: true,
  ackTimeoutMs,
  observer: (event: SessionEvent) => events.push(event),
});

describe('client link', () => {
  it('reports an ACK timeout for the one packet that got no ACK; the packets around it are fine', async () => {
    const server = await scriptedServer((i) => (i === 1 ? 'silence' : 'ack'));
    const events: SessionEvent[] = [];
    const connected = await connectTcp({ host: '127.0.0.1', port: server.port, session: sessionOptions(events, 300) });
    if (!connected.ok) throw new Error(connected.error.message);
    const { session } = connected;
    const results = [];
    for (const text of ['one', 'two', 'three']) results.push(await session.sendMessage(utf8Encode(text)));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'LINK_ERR_ACK_TIMEOUT', 'ok']);
    const timedOut = results[1];
    expect(events.filter((e) => e.kind === 'ack-timeout')).toEqual([expect.objectContaining({ dataId: timedOut.id })]);
    expect(timedOut.ok ? '' : timedOut.error.message).toMatch(/^No ACK from 127\.0\.0\.1:\d+ within 0\.3 s\.$/);
    session.close();
    await server.close();
  });

  it('a reset by the server is a LINK_ERR_RESET for the waiting packet and for the link, not an exception', async () => {
    const server = await scriptedServer(() => 'reset');
    const events: SessionEvent[] = [];
    const connected = await connectTcp({ host: '127.0.0.1', port: server.port, session: sessionOptions(events) });
    if (!connected.ok) throw new Error(connected.error.message);
    const result = await connected.session.sendMessage(utf8Encode('hello'));
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_RESET', message: expect.stringMatching(/^Connection reset by 127\.0\.0\.1:\d+\.$/) } });
    expect(events.find((e) => e.kind === 'closed')).toMatchObject({ error: { code: 'LINK_ERR_RESET' } });
    // Sending on the dead link is an error result too.
    expect(await connected.session.sendMessage(utf8Encode('again'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_RESET' } });
    await server.close();
  });

  it('a server that closes cleanly before the ACK gives LINK_ERR_CLOSED', async () => {
    const server = await listenOn((socket) => socket.on('data', () => socket.end()));
    const connected = await connectTcp({ host: '127.0.0.1', port: server.port, session: sessionOptions([]) });
    if (!connected.ok) throw new Error(connected.error.message);
    expect(await connected.session.sendMessage(utf8Encode('hello'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_CLOSED' } });
    await server.close();
  });

  it('connectTcpWithRetry: refused twice, then the server is up: connected, after pauses of 0.1 s and 0.2 s', async () => {
    const probe = await listenOn(() => {});
    const port = probe.port;
    await probe.close(); // nothing listens on `port` now
    const retries: Array<[string, number]> = [];
    const late = createServer((socket) => socket.on('error', () => {}));
    const result = await connectTcpWithRetry(
      { host: '127.0.0.1', port, session: { autoAck: true } },
      new Backoff(5),
      (error: LinkError, delayMs: number) => {
        retries.push([error.code, delayMs]);
        if (retries.length === 2) late.listen(port, '127.0.0.1'); // up before the third attempt
      },
    );
    expect(retries).toEqual([
      ['LINK_ERR_REFUSED', 100],
      ['LINK_ERR_REFUSED', 200],
    ]);
    expect(result.ok).toBe(true);
    if (result.ok) result.session.close();
    await new Promise<void>((resolve) => late.close(() => resolve()));
  });

  it('connectTcpWithRetry gives up with the last error once the retries are spent', async () => {
    const probe = await listenOn(() => {});
    await probe.close();
    const delays: number[] = [];
    const result = await connectTcpWithRetry({ host: '127.0.0.1', port: probe.port, session: { autoAck: true } }, new Backoff(2), (_e, d) =>
      delays.push(d),
    );
    expect(delays).toEqual([100, 200]);
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_REFUSED' } });
  });

  it('CLI --retry: the link drops before an ACK; the client reconnects, sends that message again, and succeeds', async () => {
    // The first connection is reset at its second DATA; later connections are answered.
    const server = await scriptedServer((i, connection) => (connection === 0 && i === 1 ? 'reset' : 'ack'));
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'm', '--repeat', '3', '--retry', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((l) => l.replace(/ \(.*/, ''))).toEqual(['ACK 1/3: OK', 'ACK 2/3: OK', 'ACK 3/3: OK']);
    expect(run.stderr).toMatch(/^Connection reset by 127\.0\.0\.1:\d+\. Retrying in 0\.1 s \(1 of 3\)\.\n$/);
    expect(server.received).toEqual(['m', 'm', 'm', 'm']); // the second was sent twice
    await server.close();
  });

  it('CLI without --retry: the same drop ends the run with one line and exit 1', async () => {
    const server = await scriptedServer((i) => (i === 1 ? 'reset' : 'ack'));
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'm', '--repeat', '3']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: Connection reset by 127\.0\.0\.1:\d+\. \(after 1 of 3 ACKs\)\n$/);
    await server.close();
  });
});

describe('server side of a reset', () => {
  it('a client that resets is logged as LINK_ERR_RESET and the server carries on', async () => {
    const events: ServerEvent[] = [];
    const server = new TcpServer({ host: '127.0.0.1', port: 0, session: { autoAck: true }, traffic: false, observer: (e) => events.push(e) });
    const started = await server.listen();
    if (!started.ok) throw new Error(started.error.message);
    const rude: Socket = await connectTo(started.port);
    rude.write(Buffer.from('aa5500', 'hex')); // half a header, so the server is mid-frame
    const bytesIn = () => server.clientList()[0]?.bytesIn ?? 0;
    do await new Promise((resolve) => setTimeout(resolve, 5));
    while (bytesIn() < 3);
    rude.resetAndDestroy();
    while (server.clientCount > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = events.find((e) => e.kind === 'session' && e.event.kind === 'closed');
    expect(closed && closed.kind === 'session' && closed.event.kind === 'closed' && closed.event.error?.code).toBe('LINK_ERR_RESET');
    const polite = await connectTo(started.port);
    polite.write(Buffer.from('aa550010011048656c6c6f204d535004', 'hex'));
    const [reply] = (await once(polite, 'data')) as [Buffer];
    expect(reply.toString('hex')).toBe(ACK.toString('hex'));
    polite.destroy();
    await server.stop();
  });
});
