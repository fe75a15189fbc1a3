/**
 * Services on a session (docs/PROTOCOL.md, "Services"): discovery, a service's messages sealed
 * by the session's channel, "not here" answers instead of silence, and services that need an
 * authenticated session refused on a plain one. Two Sessions over in-memory streams, and a
 * real TCP server for the plain case.
 */
import { describe, expect, it } from 'vitest';
import { PacketType, UnsupportedReason } from '../../shared/msp/index.ts';
import type { LinkError } from '../../electron/main/link/errors.ts';
import type { Service, ServiceDescriptor, ServiceIo } from '../../electron/main/link/services/service.ts';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { TcpServer } from '../../electron/main/link/tcp-server.ts';
import { link, passwordServer, v3Client } from '../helpers/v3.ts';
import { waitFor } from '../helpers/wait.ts';

/** A test service: answers each PING (0x18) with a PONG (0x19) carrying the same bytes. */
class EchoService implements Service {
  readonly descriptor: ServiceDescriptor;
  readonly received: Array<{ type: number; text: string }> = [];
  io: ServiceIo | undefined;
  constructor(needsAuthentication = false) {
    this.descriptor = { id: 'echo', version: 1, types: [0x18, 0x19], needsAuthentication };
  }
  attach(io: ServiceIo): void {
    this.io = io;
  }
  receive(type: number, payload: Uint8Array): void {
    this.received.push({ type, text: Buffer.from(payload).toString() });
    if (type === 0x18) this.io?.send(0x19, payload);
  }
  detach(_reason: LinkError): void {}
}

const text = (s: string) => new TextEncoder().encode(s);

describe('services on a session', () => {
  it('discovery: each end lists what it offers, messaging first', async () => {
    const echo = new EchoService();
    const { client } = link({ services: [() => new EchoService()] }, { services: [() => echo] });
    const offered = await client.services.discovery.query(2000);
    expect(offered).toEqual({
      ok: true,
      value: [
        { id: 'messaging', version: 1, types: [PacketType.DATA, PacketType.ACK] },
        { id: 'services', version: 1, types: [PacketType.SERVICES_QUERY, PacketType.SERVICES_LIST, PacketType.UNSUPPORTED] },
        { id: 'echo', version: 1, types: [0x18, 0x19] },
      ],
    });
  });

  it('under MSP v3 a service message is sealed (SEALED_SERVICE on the wire, the inner TYPE inside) and reaches its service', async () => {
    const serverEcho = new EchoService(true);
    const clientEcho = new EchoService(true);
    const { client, clientEvents, serverEvents } = link(
      { security: v3Client('pw'), services: [() => clientEcho] },
      { security: await passwordServer('pw'), services: [() => serverEcho] },
    );
    expect(await client.sendMessage(text('handshake first'))).toMatchObject({ ok: true });
    expect(clientEcho.io?.send(0x18, text('ping over v3'))).toMatchObject({ ok: true });
    await waitFor(() => clientEcho.received.length === 1, 'the PONG');
    expect(serverEcho.received).toEqual([{ type: 0x18, text: 'ping over v3' }]);
    expect(clientEcho.received).toEqual([{ type: 0x19, text: 'ping over v3' }]);
    const wire = [...clientEvents, ...serverEvents].flatMap((e) => (e.kind === 'packet' ? [e] : []));
    const serviceFrames = wire.filter((e) => e.packet.type === PacketType.SEALED_SERVICE);
    expect(serviceFrames).toHaveLength(4); // ping and pong, each seen sent and received
    for (const frame of serviceFrames) expect(Buffer.from(frame.raw).includes('ping over v3')).toBe(false);
    expect(wire.some((e) => e.packet.type === 0x18 || e.packet.type === 0x19)).toBe(false);
  });

  it('a TYPE nobody claims gets UNSUPPORTED (never silence), and the sender hears why', async () => {
    const clientEcho = new EchoService();
    const { client } = link({ services: [() => clientEcho] }, {});
    const heard = new Promise((resolve) => client.services.discovery.onUnsupported(resolve));
    clientEcho.io?.send(0x18, text('anyone?'));
    expect(await heard).toEqual({ type: 0x18, reason: UnsupportedReason.NO_SUCH_SERVICE });
  });

  it('a service that needs an authenticated session is refused on a plain one, with the reason', async () => {
    const serverEcho = new EchoService(true);
    const clientEcho = new EchoService();
    const { client } = link({ services: [() => clientEcho] }, { services: [() => serverEcho] });
    const heard = new Promise((resolve) => client.services.discovery.onUnsupported(resolve));
    clientEcho.io?.send(0x18, text('run something'));
    expect(await heard).toEqual({ type: 0x18, reason: UnsupportedReason.NEEDS_AUTHENTICATION });
    expect(serverEcho.received).toEqual([]);
  });

  it('a password server refuses a service message in the clear, like plaintext DATA', async () => {
    const serverEcho = new EchoService();
    const { client, serverEvents } = link({}, { security: await passwordServer('pw'), services: [() => serverEcho] });
    client.sendPacket({ version: 1, type: 0x18, payload: text('sneaky') });
    await waitFor(() => serverEvents.some((e) => e.kind === 'packet' && e.rejected), 'the refusal');
    expect(serverEcho.received).toEqual([]);
  });

  it('against a peer that answers nothing (like the original msp.py), the query says so after its timeout', async () => {
    const { client, relay } = link({}, {});
    relay.tamper = () => []; // the "original": swallows what it does not know
    const result = await client.services.discovery.query(200);
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_NO_SERVICES', message: expect.stringMatching(/speaks only DATA\/ACK \(as the original msp\.py does\)/) } });
  });

  it('over real TCP: a plain server answers a services query from a client', async () => {
    const server = new TcpServer({ host: '127.0.0.1', port: 0, session: { autoAck: true, services: [() => new EchoService()] } });
    const started = await server.listen();
    if (!started.ok) throw new Error(started.error.message);
    try {
      const connected = await connectTcp({ host: '127.0.0.1', port: started.port, session: { autoAck: true } });
      if (!connected.ok) throw new Error(connected.error.message);
      const offered = await connected.session.services.discovery.query(2000);
      expect(offered.ok && offered.value.map((s) => s.id)).toEqual(['messaging', 'services', 'echo']);
      connected.session.close();
    } finally {
      await server.stop();
    }
  });
});
