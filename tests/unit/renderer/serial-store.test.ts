/** The serial form in the store: from settings, to a checked `serial.open` request, presets, and the status. */
import { describe, expect, it } from 'vitest';
import { appError, fail, ok } from '../../../shared/result.ts';
import { DEFAULT_SERIAL_SETTINGS, type SerialOptions } from '../../../shared/ipc/serial.ts';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { isLinkOpen } from '../../../renderer/src/store/linkSlice.ts';
import { matchingPreset, serialDraftFromSettings, serialRequestFromDraft } from '../../../renderer/src/store/serialSlice.ts';
import { serialOptions } from '../../../electron/main/app/serial-backend.ts';
import { fakeMain, SNAPSHOT } from '../../helpers/fakeApi.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));
const OPTIONS: SerialOptions = serialOptions('linux');

async function setup(snapshot = SNAPSHOT) {
  const main = fakeMain(snapshot);
  main.answer('serial.options', ok(OPTIONS));
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  await flush();
  return { main, store, s: () => store.getState() };
}

const draft = (patch: Partial<ReturnType<typeof serialDraftFromSettings>> = {}) => ({
  ...serialDraftFromSettings({ ...DEFAULT_SERIAL_SETTINGS, path: '/dev/ttyUSB0' }),
  ...patch,
});

describe('serial form in the store', () => {
  it('loads the serial choices from settings and Serial mode', async () => {
    const { s } = await setup({
      ...SNAPSHOT,
      settings: { ...SNAPSHOT.settings, mode: 'serial', serial: { ...DEFAULT_SERIAL_SETTINGS, path: 'COM3', baudRate: 2400, role: 'responder', dtr: false } },
    });
    expect(s().draft.mode).toBe('serial');
    expect(s().serialDraft).toMatchObject({ path: 'COM3', baudText: '2400', role: 'responder', dtr: false, rts: true });
  });

  it('turns the draft into a request: only a line switched off is driven, RTS never under RTS/CTS', () => {
    const plain = serialRequestFromDraft(draft());
    expect(plain).toMatchObject({ ok: true, request: { path: '/dev/ttyUSB0', baudRate: 9600, role: 'sender' } });
    expect(plain.ok && 'dtr' in plain.request).toBe(false);
    const off = serialRequestFromDraft(draft({ dtr: false, rts: false }));
    expect(off.ok && off.request).toMatchObject({ dtr: false, rts: false });
    const flow = serialRequestFromDraft(draft({ rts: false, flowControl: 'rts-cts' }));
    expect(flow.ok && 'rts' in flow.request).toBe(false);
    // ...while settings remember both switches as they are.
    expect(off.ok && off.settings).toMatchObject({ dtr: false, rts: false });
  });

  it.each([
    ['no path', { path: ' ' }, 'UI_ERR_NO_SERIAL_PATH'],
    ['a baud rate that is not a number', { baudText: 'fast' }, 'UI_ERR_BAD_BAUD'],
    ['a baud rate out of range', { baudText: '5000000' }, 'UI_ERR_BAD_BAUD'],
    ['a negative pause', { packetGapText: '-5' }, 'UI_ERR_BAD_PACKET_GAP'],
    ['a packet below 7 bytes', { maxPacketText: '6' }, 'UI_ERR_BAD_MAX_PACKET'],
  ])('refuses %s before asking main', (_what, patch, code) => {
    expect(serialRequestFromDraft(draft(patch))).toMatchObject({ ok: false, error: { code } });
  });

  it('a preset fills the form, and the form shows it until a field changes', async () => {
    const { s } = await setup();
    await s().loadSerialOptions();
    const freedos = OPTIONS.presets.find((p) => p.id === 'freedos')!;
    s().applySerialPreset(freedos);
    expect(s().serialDraft).toMatchObject({ baudText: '9600', packetGapText: '20', maxPacketText: '1024' });
    expect(matchingPreset(s().serialDraft, OPTIONS.presets)?.id).toBe('freedos');
    s().setSerialDraft({ baudText: '19200' });
    expect(matchingPreset(s().serialDraft, OPTIONS.presets)).toBeUndefined();
  });

  it('Open sends serial.open and saves the choices; a link error stays in the status, a refusal is shown', async () => {
    const { main, s } = await setup();
    s().setDraft({ mode: 'serial' });
    s().setSerialDraft({ path: '/tmp/pty-a', role: 'responder' });
    main.answer('serial.open', fail(appError('LINK_ERR_PORT_NOT_FOUND', 'Serial port /tmp/pty-a does not exist')));
    await s().openLink();
    expect(main.requests.find((r) => r.channel === 'serial.open')?.arg).toMatchObject({ path: '/tmp/pty-a', role: 'responder', baudRate: 9600 });
    expect(main.requests.filter((r) => r.channel === 'settings.save').at(-1)?.arg).toMatchObject({ mode: 'serial', serial: { path: '/tmp/pty-a' } });
    expect(s().linkRequestError).toBeNull();
    main.answer('serial.open', fail(appError('APP_ERR_LINK_OPEN', 'Disconnect or stop the server first.')));
    await s().openLink();
    expect(s().linkRequestError?.code).toBe('APP_ERR_LINK_OPEN');
  });

  it('a password goes with serial.open by role: a sender as a TCP client (scheme), a responder as a server (msp-secure.py too); never TLS, never saved', async () => {
    const { main, s } = await setup();
    s().setDraft({ mode: 'serial' });
    s().setSerialDraft({ path: '/tmp/pty-a', role: 'sender' });
    s().setClientSecurity({ password: 'pw-sender', scheme: 'legacy', tls: true });
    await s().openLink();
    const opens = () => main.requests.filter((r) => r.channel === 'serial.open').map((r) => r.arg);
    expect(opens().at(-1)).toMatchObject({ security: { password: { source: 'typed', value: 'pw-sender' }, scheme: 'legacy' } });
    expect(opens().at(-1)).not.toHaveProperty('security.tls');
    s().setSerialDraft({ role: 'responder' });
    s().setServerSecurity({ password: 'pw-responder', allowLegacy: false, tls: true });
    await s().openLink();
    expect(opens().at(-1)).toEqual(expect.objectContaining({ security: { password: { source: 'typed', value: 'pw-responder', remember: false }, allowLegacy: false } }));
    const saved = JSON.stringify(main.requests.filter((r) => r.channel === 'settings.save'));
    expect(saved).not.toContain('pw-sender');
    expect(saved).not.toContain('pw-responder');
    s().setServerSecurity({ password: '' });
    await s().openLink();
    expect(opens().at(-1)).not.toHaveProperty('security');
  });

  it('a bad form is refused in the renderer, without a request', async () => {
    const { main, s } = await setup();
    s().setDraft({ mode: 'serial' });
    await s().openLink();
    expect(s().linkRequestError?.code).toBe('UI_ERR_NO_SERIAL_PATH');
    expect(main.requests.some((r) => r.channel === 'serial.open')).toBe(false);
  });

  it('lists ports, and says why when listing fails', async () => {
    const { main, s } = await setup();
    main.answer('serial.listPorts', ok([{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }]));
    await s().refreshSerialPorts();
    expect(s().serialPorts).toEqual([{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }]);
    main.answer('serial.listPorts', fail(appError('LINK_ERR_IO', 'Could not list the serial ports')));
    await s().refreshSerialPorts();
    expect(s().serialPortsError?.code).toBe('LINK_ERR_IO');
  });

  it('DTR switched on an open port goes to main at once; a refusal switches it back and says why', async () => {
    const { main, s } = await setup();
    main.emit('link.status', { state: 'serial', phase: 'open', path: '/tmp/a', line: '9600 8N1', role: 'sender', packetGapMs: 0, maxPacketSize: 65535, since: 1 });
    expect(isLinkOpen(s().status)).toBe(true);
    main.answer('serial.setSignals', fail(appError('LINK_ERR_UNSUPPORTED_SETTING', 'Serial port /tmp/a has no modem control lines')));
    await s().setSerialLine('dtr', false);
    expect(main.requests.find((r) => r.channel === 'serial.setSignals')?.arg).toEqual({ dtr: false });
    expect(s().serialDraft.dtr).toBe(true);
    expect(s().linkRequestError?.code).toBe('LINK_ERR_UNSUPPORTED_SETTING');
  });
});
