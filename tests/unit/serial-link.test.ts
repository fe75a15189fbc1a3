import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { SerialLink, type SerialLinkEvent, type SerialLinkOptions } from '../../electron/main/link/serial-link.ts';
import { listSerialPorts } from '../../electron/main/link/serial-port.ts';
import { findSerialPreset } from '../../electron/main/link/serial-presets.ts';
import { DEFAULT_LINE_SETTINGS } from '../../electron/main/link/serial-settings.ts';
import { MockBinding, farEnd, mockSerialDriver } from '../helpers/serial-mock.ts';
import { hexOf } from '../helpers/vectors.ts';
import { waitFor } from '../helpers/wait.ts';

const PATH = '/dev/ttyMOCK0';
const ACK = 'aa55000901114f4b9a';
const data = (text: string) => encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(text) });

let links: SerialLink[] = [];
beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true });
});
afterEach(async () => {
  await Promise.all(links.map((link) => link.close()));
  links = [];
});

function makeLink(options: Partial<SerialLinkOptions> = {}) {
  const mock = mockSerialDriver();
  const events: SerialLinkEvent[] = [];
  const link = new SerialLink({
    settings: { path: PATH, ...DEFAULT_LINE_SETTINGS },
    session: { autoAck: true },
    driver: mock.driver,
    observer: (event) => events.push(event),
    ...options,
  });
  links.push(link);
  const states = () => events.flatMap((e) => (e.kind === 'state' ? [e.state] : []));
  const sessionEvents = () => events.flatMap((e) => (e.kind === 'session' ? [e.event] : []));
  return { link, events, states, sessionEvents, far: farEnd(mock.ports), ports: mock.ports };
}

describe('SerialLink over SerialPortMock', () => {
  it('a responder skips junk on the line and still ACKs the packet after it', async () => {
    const { link, far, states, sessionEvents } = makeLink();
    expect(await link.open()).toEqual({ ok: true, value: undefined });
    expect(states()).toEqual(['opening', 'open']);
    const junk = Buffer.from('00ff6e6f6973650d0a', 'hex'); // 00 FF "noise" CR LF
    far.send(Buffer.concat([junk, data('Hello MSP')]));
    await waitFor(() => far.received().length >= 9, 'the ACK');
    expect(hexOf(far.received())).toBe(ACK);
    const seen = sessionEvents();
    const skipped = seen.find((e) => e.kind === 'skipped');
    expect(skipped?.kind === 'skipped' && hexOf(skipped.raw)).toBe(hexOf(junk));
    const packet = seen.find((e) => e.kind === 'packet' && e.dir === 'in');
    expect(packet?.kind === 'packet' && Buffer.from(packet.packet.payload).toString()).toBe('Hello MSP');
  });

  it('a responder is never closed for junk, however much: the line may be noisy (no junk budget on serial)', async () => {
    const { link, far, states } = makeLink();
    await link.open();
    const noise = Buffer.alloc(1 << 20, 0x5a);
    for (let i = 0; i < 10; i++) far.send(noise); // 10 MiB, past the TCP server's default budget
    far.send(data('after the noise'));
    await waitFor(() => far.received().length >= 9, 'the ACK after 10 MiB of noise');
    expect(hexOf(far.received())).toBe(ACK);
    expect(states()).toEqual(['opening', 'open']);
  });

  it('a sender gets the ACK for its DATA', async () => {
    const { link, far } = makeLink({ session: { autoAck: false } });
    await link.open();
    const sent = link.sendMessage(utf8Encode('ping'));
    await waitFor(() => far.received().length > 0, 'the DATA on the line');
    expect(hexOf(far.received())).toBe(hexOf(data('ping')));
    far.send(Buffer.from(ACK, 'hex'));
    expect(await sent).toMatchObject({ ok: true });
  });

  it('a port that does not exist: LINK_ERR_PORT_NOT_FOUND, and the state says closed with that reason', async () => {
    const { link, events } = makeLink({ settings: { path: '/dev/ttyNOPE', ...DEFAULT_LINE_SETTINGS } });
    const result = await link.open();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('LINK_ERR_PORT_NOT_FOUND');
    expect(link.state).toBe('closed');
    expect(events.at(-1)).toMatchObject({ kind: 'state', state: 'closed', error: { code: 'LINK_ERR_PORT_NOT_FOUND' } });
  });

  it('a port another link holds open: LINK_ERR_PORT_BUSY', async () => {
    await makeLink().link.open();
    const second = await makeLink().link.open();
    expect(!second.ok && second.error.code).toBe('LINK_ERR_PORT_BUSY');
  });

  it('a setting the platform cannot do is refused before any port is touched', async () => {
    const { link, ports } = makeLink({ settings: { path: PATH, ...DEFAULT_LINE_SETTINGS, dataBits: 9 as 8 } });
    const result = await link.open();
    expect(!result.ok && result.error.code).toBe('LINK_ERR_UNSUPPORTED_SETTING');
    expect(ports).toHaveLength(0);
  });

  it('unplugged: the state turns to disconnected with the reason, a pending send fails, nothing throws', async () => {
    const { link, ports, events } = makeLink({ session: { autoAck: false } });
    await link.open();
    const pending = link.sendMessage(utf8Encode('never answered'));
    ports[0]._disconnected(new Error('EIO: i/o error, read'));
    await waitFor(() => link.state === 'disconnected', 'the disconnected state');
    expect(link.error?.code).toBe('LINK_ERR_PORT_DISCONNECTED');
    expect(link.error?.message).toMatch(/was disconnected .*EIO: i\/o error, read/);
    expect(events.at(-1)).toMatchObject({ kind: 'state', state: 'disconnected', reopening: false });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PORT_DISCONNECTED' } });
    expect(await link.sendMessage(utf8Encode('x'))).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PORT_DISCONNECTED' } });
  });

  it('with reopen, it waits for the port to come back, opens it again and answers on it', async () => {
    const { link, ports, far, states } = makeLink({ reopen: true, reopenIntervalMs: 10 });
    await link.open();
    MockBinding.reset(); // the device is gone...
    ports[0]._disconnected(new Error('ENXIO: no such device or address'));
    await waitFor(() => link.state === 'disconnected', 'the disconnected state');
    expect(link.error?.code).toBe('LINK_ERR_PORT_DISCONNECTED');
    MockBinding.createPort(PATH, { record: true }); // ...and plugged back in
    await waitFor(() => link.state === 'open', 'the port to reopen');
    expect(states()).toEqual(['opening', 'open', 'disconnected', 'open']);
    far.send(data('after the replug'));
    await waitFor(() => far.received().length >= 9, 'the ACK on the reopened port');
    expect(hexOf(far.received())).toBe(ACK);
  });

  it('close() stops reopening and releases the port for someone else', async () => {
    const { link, ports } = makeLink({ reopen: true, reopenIntervalMs: 10 });
    await link.open();
    ports[0]._disconnected(new Error('EIO'));
    await waitFor(() => link.state === 'disconnected', 'the disconnected state');
    await link.close();
    expect(link.state).toBe('closed');
    const other = makeLink();
    expect((await other.link.open()).ok).toBe(true);
    expect(link.state).toBe('closed');
  });

  it('switches DTR and RTS, and refuses RTS by hand under RTS/CTS flow control', async () => {
    const { link, far } = makeLink();
    await link.open();
    const set = vi.spyOn(far.binding(), 'set');
    expect(await link.setSignals({ dtr: false })).toMatchObject({ ok: true });
    expect(set).toHaveBeenLastCalledWith(expect.objectContaining({ dtr: false, rts: true }));
    expect(await link.readSignals()).toEqual({ ok: true, value: { cts: true, dsr: false, dcd: false } });

    const { link: flow } = makeLink({ settings: { path: '/dev/ttyMOCK1', ...DEFAULT_LINE_SETTINGS, flowControl: 'rts-cts' } });
    MockBinding.createPort('/dev/ttyMOCK1');
    await flow.open();
    const refused = await flow.setSignals({ rts: false });
    expect(!refused.ok && refused.error.message).toMatch(/RTS is driven by RTS\/CTS flow control/);
  });

  it('the FreeDOS preset: a message too big for the receiver is refused and nothing goes on the line', async () => {
    const preset = findSerialPreset('freedos')!;
    const { link, far } = makeLink({
      settings: { path: PATH, ...preset.line },
      session: { autoAck: true, maxPacketSize: preset.maxPacketSize, packetGapMs: preset.packetGapMs },
    });
    await link.open();
    const result = await link.sendMessage(new Uint8Array(preset.maxPacketSize));
    expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PACKET_TOO_LARGE' } });
    expect(!result.ok && result.error.message).toMatch(/makes a 1031-byte packet, but this link sends at most 1024/);
    expect(far.received().length).toBe(0);
  });

  it('with a pause between packets, two ACKs owed at once go out as two separate writes', async () => {
    const { link, far } = makeLink({ session: { autoAck: true, packetGapMs: 5 } });
    await link.open();
    const write = vi.spyOn(far.binding(), 'write');
    far.send(Buffer.concat([data('a'), data('b')]));
    await waitFor(() => far.received().length >= 18, 'both ACKs');
    expect(write.mock.calls.map(([bytes]: [Buffer]) => hexOf(bytes))).toEqual([ACK, ACK]);
  });
});

describe('listing serial ports', () => {
  it('gives path, manufacturer, serial number and vendor/product id', async () => {
    MockBinding.createPort('/dev/ttyUSB7', { manufacturer: 'FTDI', vendorId: '0403', productId: '6001' });
    const listed = await listSerialPorts(mockSerialDriver().driver);
    expect(listed.ok).toBe(true);
    const port = listed.ok ? listed.value.find((p) => p.path === '/dev/ttyUSB7') : undefined;
    expect(port).toEqual({ path: '/dev/ttyUSB7', manufacturer: 'FTDI', serialNumber: expect.any(String), vendorId: '0403', productId: '6001' });
  });

  it('a failing list is an error with a way forward, not a throw', async () => {
    const listed = await listSerialPorts({ list: () => Promise.reject(new Error('spawn udevadm ENOENT')), create: () => Promise.reject(new Error('unused')) });
    expect(listed).toEqual({
      ok: false,
      error: { code: 'LINK_ERR_IO', message: "Could not list the serial ports: spawn udevadm ENOENT. You can still type a port's path." },
    });
  });
});
