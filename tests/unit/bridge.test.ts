import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, packetTypeName, utf8Encode } from '../../shared/msp/index.ts';
import { Bridge, type BridgeEvent, type BridgeOptions } from '../../electron/main/link/bridge.ts';
import { DEFAULT_LINE_SETTINGS } from '../../electron/main/link/serial-settings.ts';
import { TcpServer } from '../../electron/main/link/tcp-server.ts';
import { MockBinding, farEnd, mockSerialDriver } from '../helpers/serial-mock.ts';
import { connectTo, readUntil } from '../helpers/net.ts';
import { hexOf } from '../helpers/vectors.ts';
import { waitFor } from '../helpers/wait.ts';

const PATH = '/dev/ttyRETRO';
const ACK = 'aa55000901114f4b9a';
const data = (text: string) => encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(text) });

let cleanups: Array<() => unknown> = [];
beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true });
});
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startBridge(tcp: BridgeOptions['tcp'] = { role: 'listen', host: '127.0.0.1', port: 0 }, serial: Partial<BridgeOptions['serial']> = {}) {
  const mock = mockSerialDriver();
  const events: BridgeEvent[] = [];
  const bridge = new Bridge({
    tcp,
    serial: { settings: { path: PATH, ...DEFAULT_LINE_SETTINGS }, driver: mock.driver, ...serial },
    observer: (event) => events.push(event),
  });
  cleanups.push(() => bridge.stop());
  const started = await bridge.start();
  if (!started.ok) throw new Error(started.error.message);
  return { bridge, port: started.value.port, events, far: farEnd(mock.ports), ports: mock.ports };
}

async function tcpClient(port: number): Promise<Socket> {
  const socket = await connectTo(port);
  cleanups.push(() => socket.destroy());
  return socket;
}

/** "tcp in DATA", "serial out DATA", ...: the packets each side saw, in order. */
function packetLog(events: BridgeEvent[]): string[] {
  return events.flatMap((e) => {
    const s = e.kind === 'tcp' && e.event.kind === 'session' ? e.event.event : e.kind === 'serial' && e.event.kind === 'session' ? e.event.event : undefined;
    return s?.kind === 'packet' ? [`${e.kind} ${s.dir} ${packetTypeName(s.packet.type)}`] : [];
  });
}

describe('Bridge: TCP peer <-> bridge <-> serial port', () => {
  it("a TCP client's DATA goes out on the serial port, and the serial side's ACK comes back to it", async () => {
    const { port, far, events } = await startBridge();
    const socket = await tcpClient(port);
    socket.write(data('Hello retro PC'));
    await waitFor(() => far.received().length > 0, 'the DATA on the serial line');
    expect(hexOf(far.received())).toBe(hexOf(data('Hello retro PC')));
    far.send(Buffer.from(ACK, 'hex'));
    expect(hexOf(await readUntil(socket, (b) => b.length >= 9))).toBe(ACK);
    await waitFor(() => packetLog(events).length === 4, 'four packet events');
    expect(packetLog(events)).toEqual(['tcp in DATA', 'serial out DATA', 'serial in ACK', 'tcp out ACK']);
  });

  it('junk from the TCP side stays there: only the whole packet reaches the serial line', async () => {
    const { port, far, events } = await startBridge();
    const socket = await tcpClient(port);
    socket.write(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n'), data('after junk')]));
    await waitFor(() => far.received().length > 0, 'the DATA on the serial line');
    expect(hexOf(far.received())).toBe(hexOf(data('after junk')));
    expect(events.some((e) => e.kind === 'tcp' && e.event.kind === 'session' && e.event.event.kind === 'skipped')).toBe(true);
  });

  it('the serial side sends DATA while no TCP peer is connected: dropped, with the reason', async () => {
    const { far, events } = await startBridge();
    far.send(data('anyone there?'));
    await waitFor(() => events.some((e) => e.kind === 'dropped'), 'the dropped event');
    expect(events.find((e) => e.kind === 'dropped')).toMatchObject({
      from: 'serial',
      error: { code: 'LINK_ERR_CLOSED', message: 'Not forwarded: no TCP peer is connected to the bridge.' },
    });
  });

  it("a packet over the serial side's limit is dropped, not forwarded", async () => {
    const { port, far, events } = await startBridge(undefined, { maxPacketSize: 64 });
    const socket = await tcpClient(port);
    socket.write(data('x'.repeat(100)));
    socket.write(data('small'));
    await waitFor(() => far.received().length > 0, 'the small DATA on the serial line');
    expect(hexOf(far.received())).toBe(hexOf(data('small')));
    expect(events.find((e) => e.kind === 'dropped')).toMatchObject({ from: 'tcp', error: { code: 'LINK_ERR_PACKET_TOO_LARGE' } });
  });

  it('serves one TCP peer at a time and says so to the second', async () => {
    const { port, events } = await startBridge();
    await tcpClient(port);
    await waitFor(() => events.some((e) => e.kind === 'tcp' && e.event.kind === 'peer-open'), 'the first peer');
    await tcpClient(port);
    await waitFor(() => events.some((e) => e.kind === 'tcp' && e.event.kind === 'peer-refused'), 'the refusal');
    const refused = events.find((e) => e.kind === 'tcp' && e.event.kind === 'peer-refused');
    expect(refused?.kind === 'tcp' && refused.event.kind === 'peer-refused' && refused.event.error.message).toMatch(/one TCP peer at a time/);
  });

  it('connect role: the retro PC DATA reaches an MSP server on the LAN and its ACK comes back down the line', async () => {
    const server = new TcpServer({ host: '127.0.0.1', port: 0, session: { autoAck: true } });
    const listening = await server.listen();
    cleanups.push(() => server.stop());
    if (!listening.ok) throw new Error(listening.error.message);
    const { far } = await startBridge({ role: 'connect', host: '127.0.0.1', port: listening.port });
    far.send(data('from the COM port'));
    await waitFor(() => far.received().length >= 9, 'the ACK on the serial line');
    expect(hexOf(far.received())).toBe(ACK);
  });

  it('the serial port is unplugged (no reopen): the bridge stops and says why', async () => {
    const { bridge, ports } = await startBridge();
    ports[0]._disconnected(new Error('EIO: i/o error, read'));
    const error = await bridge.stopped;
    expect(error?.code).toBe('LINK_ERR_PORT_DISCONNECTED');
  });

  it('a serial port that does not exist: start() fails with LINK_ERR_PORT_NOT_FOUND and nothing listens', async () => {
    const bridge = new Bridge({
      tcp: { role: 'listen', host: '127.0.0.1', port: 0 },
      serial: { settings: { path: '/dev/ttyGONE', ...DEFAULT_LINE_SETTINGS }, driver: mockSerialDriver().driver },
    });
    const started = await bridge.start();
    expect(!started.ok && started.error.code).toBe('LINK_ERR_PORT_NOT_FOUND');
  });
});
