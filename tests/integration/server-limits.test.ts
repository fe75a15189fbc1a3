/**
 * What a server does when clients misbehave or are many: each limit and timeout, over
 * real sockets on 127.0.0.1, through the real CLI (`--quiet`, the fast path) where a
 * flag is involved. No timing is asserted: each test waits for the outcome itself.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { TcpServer } from '../../electron/main/link/tcp-server.ts';
import { SERVER_DEFAULTS } from '../../shared/limits.ts';
import { startCliServer, type CliServer } from '../helpers/cli.ts';
import { connectTo, readUntil } from '../helpers/net.ts';

const ACK = Buffer.from('aa55000901114f4b9a', 'hex');
const data = (text: string) => Buffer.from(encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(text) }));

let server: CliServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.stop();
  server = undefined;
});

/** A client socket that the test cleans up, and whose errors (resets) are expected. */
async function client(port: number, from?: string): Promise<Socket> {
  const socket = await connectTo(port, '127.0.0.1', from);
  socket.on('error', () => {});
  sockets.push(socket);
  return socket;
}

/** Resolves when the socket has closed, however (events.once would reject on a reset). */
const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** Sends one DATA and resolves with the reply's bytes once a whole ACK's worth arrived. */
async function roundTrip(socket: Socket, text = 'ping'): Promise<string> {
  const reply = readUntil(socket, (b) => b.length >= ACK.length);
  socket.write(data(text));
  return (await reply).toString('hex');
}

const closedWith = (code: string) => (events: Array<Record<string, unknown>>) =>
  events.some((e) => e.event === 'closed' && e.code === code);

describe('server limits and timeouts (CLI, --quiet)', () => {
  it('--max-connections: the next client is refused with a log line; the others are still served', async () => {
    server = await startCliServer(['--quiet', '--max-connections', '2']);
    const first = await client(server.port);
    const second = await client(server.port);
    // Served, so accepted: the refusal below can only be the third client's.
    expect(await roundTrip(first)).toBe(ACK.toString('hex'));
    expect(await roundTrip(second)).toBe(ACK.toString('hex'));

    const third = await client(server.port);
    await closed(third);
    await server.waitFor((events) => events.some((e) => e.event === 'refused'));
    expect(server.events.find((e) => e.event === 'refused')).toMatchObject({
      code: 'LINK_ERR_TOO_MANY_CONNECTIONS',
      message: expect.stringMatching(/already serving 2 clients/),
    });
    expect(await roundTrip(first)).toBe(ACK.toString('hex'));

    // Once a client leaves, there is room again.
    second.destroy();
    let fourth: Socket | undefined;
    while (!fourth) {
      const candidate = await client(server.port);
      const reply = await Promise.race([roundTrip(candidate), closed(candidate).then(() => 'closed')]);
      if (reply === ACK.toString('hex')) fourth = candidate; // else the server had not seen `second` leave yet
    }
    expect(server.child.exitCode).toBeNull();
  });

  it('--frame-timeout: half a frame and then silence is closed, with a log line', async () => {
    server = await startCliServer(['--quiet', '--frame-timeout', '0.3']);
    const socket = await client(server.port);
    socket.write(data('never finished').subarray(0, 8));
    await closed(socket);
    await server.waitFor(closedWith('LINK_ERR_FRAME_TIMEOUT'));
    expect(server.events.find(closedWithEvent('LINK_ERR_FRAME_TIMEOUT'))!.message).toMatch(/sent part of a frame and then nothing for 0\.3 s/);
  });

  it('--frame-timeout does not touch a client that is quiet between whole packets', async () => {
    server = await startCliServer(['--quiet', '--frame-timeout', '0.2']);
    const socket = await client(server.port);
    expect(await roundTrip(socket, 'one')).toBe(ACK.toString('hex'));
    await new Promise((resolve) => setTimeout(resolve, 600)); // three frame timeouts, with no frame in progress
    expect(await roundTrip(socket, 'two')).toBe(ACK.toString('hex'));
  });

  it('--idle-timeout: a client that says nothing is closed, with a log line', async () => {
    server = await startCliServer(['--quiet', '--idle-timeout', '0.3']);
    const socket = await client(server.port);
    await closed(socket);
    await server.waitFor(closedWith('LINK_ERR_IDLE_TIMEOUT'));
    expect(server.events.find(closedWithEvent('LINK_ERR_IDLE_TIMEOUT'))!.message).toMatch(/silent for 0\.3 s/);
  });

  it('--max-queued-bytes: a client that sends but never reads is dropped once our unsent ACKs pass the bound', async () => {
    server = await startCliServer(['--quiet', '--max-queued-bytes', '65536']);
    const socket = await client(server.port);
    socket.pause(); // never read: the ACKs pile up in the kernel, then in the server
    const burst = Buffer.concat(Array.from({ length: 5000 }, () => data('x'.repeat(16))));
    let sentBytes = 0;
    // Kernel buffers hold a few hundred KB of ACKs before the server has to queue any:
    // keep sending until the server gives up (bounded, so a bug fails instead of hanging).
    while (!socket.destroyed && sentBytes < 200 * 1024 * 1024) {
      if (!socket.write(burst)) {
        await new Promise((resolve) => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
      }
      sentBytes += burst.length;
    }
    await closed(socket);
    await server.waitFor(closedWith('LINK_ERR_SLOW_READER'));
    expect(server.events.find(closedWithEvent('LINK_ERR_SLOW_READER'))!.message).toMatch(/is not reading: over 65536 bytes/);
    expect(await roundTrip(await client(server.port))).toBe(ACK.toString('hex')); // and the server carries on
  });

  it('--max-per-address: one address gets N connections, the next is refused with a log line; another address is still served', async () => {
    server = await startCliServer(['--quiet', '--max-per-address', '3']);
    const held = await Promise.all([1, 2, 3].map(() => client(server!.port, '127.0.0.5')));
    for (const socket of held) expect(await roundTrip(socket)).toBe(ACK.toString('hex'));

    const fourth = await client(server.port, '127.0.0.5');
    await closed(fourth);
    await server.waitFor((events) => events.some((e) => e.event === 'refused'));
    expect(server.events.find((e) => e.event === 'refused')).toMatchObject({
      code: 'LINK_ERR_TOO_MANY_FROM_ADDRESS',
      peer: expect.stringMatching(/^127\.0\.0\.5:/),
      message: expect.stringMatching(/already serving 3 clients from its address, the per-address limit \(--max-per-address\)/),
    });
    // Another address is a different client: served while the first is at its cap.
    expect(await roundTrip(await client(server.port, '127.0.0.6'))).toBe(ACK.toString('hex'));
    expect(await roundTrip(held[0])).toBe(ACK.toString('hex'));
  });

  it('the default per-address cap stops one address from holding the server with silent sockets', async () => {
    server = await startCliServer(['--quiet']);
    const silent: Socket[] = [];
    // 400 silent sockets from one address (the attack): past the default cap they are refused.
    for (let i = 0; i < 400; i++) silent.push(await client(server.port, '127.0.0.7'));
    await server.waitFor((events) => events.filter((e) => e.event === 'refused').length >= 400 - SERVER_DEFAULTS.maxPerAddress);
    expect(server.events.filter((e) => e.event === 'refused' && e.code === 'LINK_ERR_TOO_MANY_FROM_ADDRESS')).toHaveLength(400 - SERVER_DEFAULTS.maxPerAddress);
    expect(await roundTrip(await client(server.port, '127.0.0.8'))).toBe(ACK.toString('hex'));
  });

  it('--first-frame-timeout: a client that connects and never sends a whole frame is closed with a log line', async () => {
    server = await startCliServer(['--quiet', '--first-frame-timeout', '0.3']);
    const talker = await client(server.port);
    expect(await roundTrip(talker)).toBe(ACK.toString('hex')); // one frame in time: never timed out
    const silent = await client(server.port);
    const partial = await client(server.port);
    partial.write(Buffer.from([0xaa, 0x55, 0x00])); // half a header: still no complete frame
    await Promise.all([closed(silent), closed(partial)]);
    await server.waitFor((events) => events.filter(closedWithEvent('LINK_ERR_FIRST_FRAME_TIMEOUT')).length === 2);
    expect(server.events.find(closedWithEvent('LINK_ERR_FIRST_FRAME_TIMEOUT'))!.message).toMatch(/sent no complete MSP frame within 0\.3 s of connecting/);
    expect(await roundTrip(talker)).toBe(ACK.toString('hex'));
  });

  it('--max-junk-bytes: a garbage-only peer is closed after its budget, while a client on another connection keeps getting ACKs', async () => {
    server = await startCliServer(['--quiet', '--max-junk-bytes', '100000']);
    const good = await client(server.port);
    const attacker = await client(server.port);
    const garbage = Buffer.alloc(1 << 16);
    for (let i = 0; i < garbage.length; i += 4) garbage.set([0xaa, 0x55, 0xff, 0xff], i);
    let sent = 0;
    // Bounded: a server that never closes the attacker fails the test instead of hanging it.
    while (!attacker.destroyed && sent < 64 << 20) {
      if (!attacker.write(garbage)) await Promise.race([new Promise((r) => attacker.once('drain', r)), closed(attacker)]);
      sent += garbage.length;
      expect(await roundTrip(good, `still here ${sent}`)).toBe(ACK.toString('hex'));
    }
    await closed(attacker);
    await server.waitFor(closedWith('LINK_ERR_TOO_MUCH_JUNK'));
    expect(server.events.find(closedWithEvent('LINK_ERR_TOO_MUCH_JUNK'))!.message).toMatch(
      /sent over 100000 bytes that are not MSP frames since its last valid frame.*--max-junk-bytes/,
    );
    expect(await roundTrip(good)).toBe(ACK.toString('hex'));
  });

  it('--max-junk-bytes counts junk since the last valid frame: a noisy line that still delivers frames is served', async () => {
    server = await startCliServer(['--quiet', '--max-junk-bytes', '100000']);
    const noisy = await client(server.port);
    const noise = Buffer.alloc(60_000, 0x5a);
    for (let round = 0; round < 5; round++) {
      noisy.write(noise); // 300 KB of noise in all, never 100 KB without a valid frame between
      expect(await roundTrip(noisy, `after noise ${round}`)).toBe(ACK.toString('hex'));
    }
    expect(server.events.some(closedWithEvent('LINK_ERR_TOO_MUCH_JUNK'))).toBe(false);
  });

  it('1,000 concurrent clients from one address (per-address cap off) are all held and each one ACKed', async () => {
    server = await startCliServer(['--quiet', '--max-per-address', '0']);
    const clients = await Promise.all(Array.from({ length: 1000 }, () => client(server!.port)));
    const replies = await Promise.all(clients.map((socket, i) => roundTrip(socket, `client ${i}`)));
    expect(new Set(replies)).toEqual(new Set([ACK.toString('hex')]));
    expect(clients.every((s) => !s.destroyed)).toBe(true);
  });
});

describe('junk on the wire (TcpServer in quiet mode, real sockets)', () => {
  it('1 MB of junk, then a burst of 100 DATA in one write: all 100 ACKed, and the junk is never held', async () => {
    const tcp = new TcpServer({ host: '127.0.0.1', port: 0, session: { autoAck: true }, traffic: false });
    const started = await tcp.listen();
    if (!started.ok) throw new Error(started.error.message);
    try {
      const socket = await client(started.port);
      // Junk without AA 55 (so it can never start a frame), sent in 16 writes of 64 KB.
      const junk = Buffer.alloc(1 << 20, 0x5a);
      for (let at = 0; at < junk.length; at += 1 << 16) socket.write(junk.subarray(at, at + (1 << 16)));
      const session = () => tcp.session(tcp.clientList()[0]?.clientId ?? -1);
      while ((session()?.stats.bytesIn ?? 0) < junk.length) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(session()!.bufferedBytes).toBe(0);

      const acks = readUntil(socket, (b) => b.length >= 100 * ACK.length);
      socket.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => data(`#${i}`))));
      expect((await acks).toString('hex')).toBe(ACK.toString('hex').repeat(100));
      expect(session()!.stats.packetsIn).toBe(100);
    } finally {
      await tcp.stop();
    }
  });
});

function closedWithEvent(code: string) {
  return (e: Record<string, unknown>) => e.event === 'closed' && e.code === code;
}
