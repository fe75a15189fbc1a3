/**
 * The app backend's serial link over serialport's SerialPortMock: the same log, ACK
 * pairing and rates as TCP, states with reasons, errors as data, DTR/RTS, settings.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { DEFAULT_SERIAL_SETTINGS, serialOpenSchema, type SerialOpenInput } from '../../shared/ipc/serial.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { MockBinding, farEnd, mockSerialDriver } from '../helpers/serial-mock.ts';
import { hexOf } from '../helpers/vectors.ts';

const PATH = '/dev/ttyMOCK0';
const ACK = encodePacket({ version: 1, type: PacketType.ACK, payload: utf8Encode('OK') });
const data = (text: string) => encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(text) });
const request = (input: Partial<SerialOpenInput> = {}) =>
  serialOpenSchema.parse({ path: PATH, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'sender', ...input });

let recorded: RecordedBackend;
let mock: ReturnType<typeof mockSerialDriver>;
beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true, manufacturer: 'FTDI', vendorId: '0403', productId: '6001' });
  mock = mockSerialDriver();
  recorded = recordedBackend({ serialDriver: mock.driver, trafficIntervalMs: 5, ackTimeoutMs: 2000, tickMs: 50, serialReopenIntervalMs: 20 });
});
afterEach(async () => {
  await recorded.backend.dispose();
});

const statuses = () => recorded.payloads('link.status');

describe('AppBackend: serial ports', () => {
  it('lists ports with what identifies them, and offers this platform\'s settings and the presets', async () => {
    expect(await recorded.backend.listSerialPorts()).toEqual({
      ok: true,
      value: [{ path: PATH, manufacturer: 'FTDI', serialNumber: '1', vendorId: '0403', productId: '6001' }],
    });
    const options = recorded.backend.serialOptions();
    expect(options.ok && options.value.presets.map((p) => p.id)).toEqual(['freedos', 'slow-retro', 'usb-serial']);
    expect(options.ok && options.value.standardBaudRates).toContain(921600);
  });

  it('a sender: DATA out and its ACK in are logged with the port as the peer, paired with a round trip, and counted', async () => {
    const opened = await recorded.backend.openSerial(request());
    expect(opened).toMatchObject({ ok: true, value: { state: 'serial', phase: 'open', path: PATH, line: '9600 8N1', role: 'sender' } });
    expect(statuses().map((s) => (s.state === 'serial' ? s.phase : s.state))).toEqual(['opening', 'open']);

    expect(recorded.backend.send({ format: 'text', input: 'Hello serial', repeat: 1, intervalMs: 0 })).toEqual({ ok: true, value: { total: 1 } });
    const far = farEnd(mock.ports);
    await recorded.waitFor(() => far.received().length >= 19, 'the DATA on the port');
    expect(hexOf(far.received())).toBe(hexOf(data('Hello serial')));
    far.send(ACK);
    await recorded.waitFor(() => recorded.traffic().some((t) => t.kind === 'ack'), 'the ACK pairing');
    const [out, back] = recorded.entries();
    expect(out).toMatchObject({ dir: 'out', peer: PATH, kind: 'packet', awaitsAck: true });
    expect(back).toMatchObject({ dir: 'in', peer: PATH, kind: 'packet' });
    expect(recorded.traffic().find((t) => t.kind === 'ack')).toMatchObject({ dataId: out.id, ackId: back.id });
    await recorded.waitFor(() => recorded.payloads('stats.rates').some((r) => r.rtt?.count === 1), 'the round trip in the rates');
  });

  it('a responder ACKs every DATA, junk before it included', async () => {
    await recorded.backend.openSerial(request({ role: 'responder' }));
    const far = farEnd(mock.ports);
    far.send(Buffer.concat([Buffer.from([0x00, 0x13, 0x37]), data('ping')]));
    await recorded.waitFor(() => far.received().length >= ACK.length, 'the ACK on the port');
    expect(hexOf(far.received())).toBe(hexOf(ACK));
    await recorded.waitFor(() => recorded.entries().length >= 3, 'junk, DATA and ACK in the log');
    expect(recorded.entries().map((e) => `${e.dir} ${e.kind}`)).toEqual(['in junk', 'in packet', 'out packet']);
  });

  it('a message bigger than the preset\'s largest packet is refused before it is sent', async () => {
    await recorded.backend.openSerial(request({ maxPacketSize: 16 }));
    const refused = recorded.backend.send({ format: 'text', input: 'far too long for sixteen', repeat: 1, intervalMs: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PACKET_TOO_LARGE' } });
    expect(refused.ok || refused.error.message).toMatch(/31-byte packet.*at most 16 bytes/);
  });

  it('with msp-secure.py\'s password the padded packet is measured, not the plaintext one (the size SerialLink checks too)', async () => {
    // 20 bytes of text: a 27-byte plain packet, but 7 + 16 (IV) + 32 (padded) = 55 bytes encrypted.
    await recorded.backend.openSerial(request({ maxPacketSize: 48, security: { password: { source: 'typed', value: 'pw' }, scheme: 'legacy' } }));
    const refused = recorded.backend.send({ format: 'text', input: 'twenty bytes of text', repeat: 1, intervalMs: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PACKET_TOO_LARGE' } });
    expect(refused.ok || refused.error.message).toMatch(/55-byte packet.*at most 48 bytes/);
    expect(farEnd(mock.ports).received()).toHaveLength(0);
  });

  it('a port that does not exist: an error status and result, and the backend can open another port after', async () => {
    const missing = await recorded.backend.openSerial(request({ path: '/dev/ttyNOPE' }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'LINK_ERR_PORT_NOT_FOUND' } });
    expect(statuses().at(-1)).toMatchObject({ state: 'error', error: { code: 'LINK_ERR_PORT_NOT_FOUND' } });
    expect(await recorded.backend.openSerial(request())).toMatchObject({ ok: true });
  });

  it('an unsupported setting is refused with a sentence, before any port is touched', async () => {
    const result = await recorded.backend.openSerial(request({ parity: 'mark' }));
    if (process.platform !== 'win32') {
      expect(result).toMatchObject({ ok: false, error: { code: 'LINK_ERR_UNSUPPORTED_SETTING' } });
      expect(mock.ports).toHaveLength(0);
    }
  });

  it('unplugged: disconnected with the reason; with reopening it waits, then comes back open', async () => {
    await recorded.backend.openSerial(request({ reopen: true }));
    MockBinding.reset(); // the device is gone...
    mock.ports.at(-1)!._disconnected(new Error('ENXIO: no such device or address'));
    await recorded.waitFor(() => statuses().some((s) => s.state === 'serial' && s.phase === 'reopening'), 'reopening');
    expect(statuses().find((s) => s.state === 'serial' && s.phase === 'reopening')).toMatchObject({ error: { code: 'LINK_ERR_PORT_DISCONNECTED' } });
    MockBinding.createPort(PATH, { record: true }); // ...and plugged back in
    await recorded.waitFor(() => statuses().at(-1)?.state === 'serial' && (statuses().at(-1) as { phase: string }).phase === 'open', 'open again');
  });

  it('DTR and RTS switch on the open port; closing gives idle; the choices are saved as settings', async () => {
    expect(await recorded.backend.setSerialSignals({ dtr: false })).toMatchObject({ ok: false, error: { code: 'APP_ERR_NOT_CONNECTED' } });
    await recorded.backend.openSerial(request());
    expect(await recorded.backend.setSerialSignals({ dtr: false, rts: true })).toEqual({ ok: true, value: null });
    expect(await recorded.backend.closeLink()).toEqual({ ok: true, value: { state: 'idle' } });
    await recorded.backend.init();
    await recorded.backend.saveSettings({ mode: 'serial', serial: { ...DEFAULT_SERIAL_SETTINGS, path: PATH, baudRate: 2400 } });
    const saved = JSON.parse(await readFile(recorded.settingsFile, 'utf8'));
    expect(saved).toMatchObject({ mode: 'serial', serial: { path: PATH, baudRate: 2400 } });
  });
});
