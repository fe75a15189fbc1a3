import { describe, expect, it } from 'vitest';
import { PacketType } from '../../../shared/msp/index.ts';
import { appError, fail, ok } from '../../../shared/result.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { RATE_HISTORY } from '../../../renderer/src/store/ratesSlice.ts';
import { fakeMain, SNAPSHOT } from '../../helpers/fakeApi.ts';
import { entry, packetEntry } from '../../helpers/entries.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup(snapshot = SNAPSHOT) {
  const main = fakeMain(snapshot);
  const store = createAppStore(main.api);
  const unbind = bindIpc(store, main.api);
  await flush();
  return { main, store, unbind, s: () => store.getState() };
}

describe('store: start-up and main\'s events', () => {
  it('loads main\'s snapshot: settings into the connection form, history, language, the settings warning', async () => {
    const { s } = await setup({
      ...SNAPSHOT,
      settings: { ...SNAPSHOT.settings, mode: 'server', server: { bind: '0.0.0.0', port: 9100 }, history: ['a', 'b'], language: 'ja' },
      settingsWarning: { code: 'SETTINGS_ERR_CORRUPT', message: 'Your settings could not be read' },
    });
    expect(s().ready).toBe(true);
    expect(s().draft).toMatchObject({ mode: 'server', bind: '0.0.0.0', serverPort: '9100' });
    expect(s().history).toEqual(['a', 'b']);
    expect(s().language).toBe('ja');
    expect(s().settingsWarning?.code).toBe('SETTINGS_ERR_CORRUPT');
  });

  it('traffic batches go into the log, status and clients into their slices, rates keep the last minute', async () => {
    const { main, s } = await setup();
    const before = s().logRevision;
    main.emit('packet.traffic', [entry(packetEntry('in', PacketType.DATA, 'hi')), entry(packetEntry('out', PacketType.ACK, 'OK'))]);
    expect(s().log.size).toBe(2);
    expect(s().logRevision).toBe(before + 1);
    main.emit('link.status', { state: 'listening', bind: '127.0.0.1', port: 9009, clients: 1, since: 0 });
    expect(s().status.state).toBe('listening');
    main.emit('server.clients', [{ clientId: 1, peer: 'p', since: 0, packetsIn: 1, packetsOut: 1, bytesIn: 9, bytesOut: 9, lastActivity: 0 }]);
    expect(s().clients).toHaveLength(1);
    for (let i = 0; i < 100; i++) {
      main.emit('stats.rates', { at: i, packetsInPerSec: i, packetsOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, rtt: null });
    }
    expect(s().rates).toHaveLength(RATE_HISTORY);
    expect(s().rates.at(-1)!.packetsInPerSec).toBe(99);
  });

  it('a selected packet pushed out of the log is unselected', async () => {
    const main = fakeMain();
    const store = createAppStore(main.api, { logCapacity: 2 });
    bindIpc(store, main.api);
    main.emit('packet.traffic', [entry(packetEntry('in', PacketType.DATA, 'a'))]);
    store.getState().select(1);
    main.emit('packet.traffic', [entry(packetEntry('in', PacketType.DATA, 'b')), entry(packetEntry('in', PacketType.DATA, 'c'))]);
    expect(store.getState().selectedSeq).toBeNull();
  });

  it('unbinding stops listening', async () => {
    const { main, s, unbind } = await setup();
    unbind();
    main.emit('link.status', { state: 'error', error: { code: 'LINK_ERR_RESET', message: 'reset' } });
    expect(s().status.state).toBe('idle');
  });
});

describe('store: sending', () => {
  it('invalid hex is refused in the renderer and never reaches main', async () => {
    const { main, s } = await setup();
    s().setSendFormat('hex');
    s().setSendInput('AA 5G');
    await s().send();
    expect(s().sendError).toMatchObject({ code: 'MSP_ERR_BAD_HEX', position: 4 });
    expect(main.requests.some((r) => r.channel === 'packet.send')).toBe(false);
  });

  it('a bad repeat count is refused before sending', async () => {
    const { main, s } = await setup();
    s().setSendInput('x');
    s().setRepeatText('0');
    await s().send();
    expect(s().sendError?.code).toBe('UI_ERR_BAD_REPEAT');
    expect(main.requests.some((r) => r.channel === 'packet.send')).toBe(false);
  });

  it('sends what is typed with the repeat settings, clears the input and keeps it in the history (saved when on)', async () => {
    const { main, s } = await setup({ ...SNAPSHOT, settings: { ...SNAPSHOT.settings, saveHistory: true } });
    s().setSendInput('Hello MSP');
    s().setRepeatText('3');
    s().setIntervalText('250');
    await s().send();
    expect(main.requests.find((r) => r.channel === 'packet.send')?.arg).toEqual({ format: 'text', input: 'Hello MSP', repeat: 3, intervalMs: 250 });
    expect(s().sendInput).toBe('');
    expect(s().history).toEqual(['Hello MSP']);
    expect(main.requests.find((r) => r.channel === 'settings.save' && 'history' in (r.arg as object))?.arg).toEqual({ history: ['Hello MSP'] });
  });

  it('by default the history is kept for this run only: never sent to main to be saved', async () => {
    const { main, s } = await setup();
    expect(s().saveHistory).toBe(false);
    s().setSendInput('private');
    await s().send();
    expect(s().history).toEqual(['private']);
    expect(main.requests.some((r) => r.channel === 'settings.save' && 'history' in (r.arg as object))).toBe(false);
  });

  it('turning saving on saves this run\'s history; turning it off tells main to erase it', async () => {
    const { main, s } = await setup();
    s().setSendInput('one');
    await s().send();
    s().setSaveHistory(true);
    expect(main.requests.at(-1)).toMatchObject({ channel: 'settings.save', arg: { saveHistory: true, history: ['one'] } });
    s().setSendInput('two');
    await s().send();
    expect(main.requests.at(-1)).toMatchObject({ channel: 'settings.save', arg: { history: ['one', 'two'] } });
    s().setSaveHistory(false);
    expect(main.requests.at(-1)).toMatchObject({ channel: 'settings.save', arg: { saveHistory: false } });
    expect(s().saveHistory).toBe(false);
    expect(s().history).toEqual(['one', 'two']); // still there for ↑↓ in this run
  });

  it('server mode sends to the chosen client or to all', async () => {
    const { main, s } = await setup({ ...SNAPSHOT, status: { state: 'listening', bind: '127.0.0.1', port: 1, clients: 2, since: 0 } });
    s().setSendTarget(2);
    s().setSendInput('to two');
    await s().send();
    expect(main.requests.find((r) => r.channel === 'packet.send')?.arg).toMatchObject({ to: 2 });
  });

  it('main\'s refusal is shown and the input kept', async () => {
    const { main, s } = await setup();
    main.answer('packet.send', fail(appError('APP_ERR_NOT_CONNECTED', 'Connect first.')));
    s().setSendInput('hello?');
    await s().send();
    expect(s().sendError?.code).toBe('APP_ERR_NOT_CONNECTED');
    expect(s().sendInput).toBe('hello?');
  });

  it('up and down walk the history, newest first, and back to an empty line', async () => {
    const { s } = await setup({ ...SNAPSHOT, settings: { ...SNAPSHOT.settings, history: ['one', 'two', 'three'] } });
    s().historyUp();
    expect(s().sendInput).toBe('three');
    s().historyUp();
    s().historyUp();
    s().historyUp();
    expect(s().sendInput).toBe('one');
    s().historyDown();
    expect(s().sendInput).toBe('two');
    s().historyDown();
    s().historyDown();
    expect(s().sendInput).toBe('');
  });
});

describe('store: connection and server panel', () => {
  it('a port that is not a number stops before asking main', async () => {
    const { main, s } = await setup();
    s().setDraft({ clientPort: '90x9' });
    await s().openLink();
    expect(s().linkRequestError?.code).toBe('UI_ERR_BAD_PORT');
    expect(main.requests.some((r) => r.channel === 'link.open')).toBe(false);
  });

  it('connect sends the typed host and port and remembers them; a server listens on the chosen interface', async () => {
    const { main, s } = await setup();
    s().setDraft({ host: ' example.local ', clientPort: '9100' });
    await s().openLink();
    expect(main.requests.find((r) => r.channel === 'link.open')?.arg).toEqual({ mode: 'client', host: 'example.local', port: 9100 });
    expect(main.requests.some((r) => r.channel === 'settings.save' && JSON.stringify(r.arg).includes('example.local'))).toBe(true);
    s().setDraft({ mode: 'server', bind: '0.0.0.0', serverPort: '0' });
    await s().openLink();
    expect(main.requests.filter((r) => r.channel === 'link.open').at(-1)?.arg).toEqual({ mode: 'server', bind: '0.0.0.0', port: 0 });
  });

  it('selecting a client filters the log by its address; auto-ACK follows main\'s answer', async () => {
    const { main, s } = await setup();
    s().selectClient('127.0.0.1:50001');
    expect(s().filter.peer).toBe('127.0.0.1:50001');
    s().selectClient(null);
    expect(s().filter.peer).toBeNull();
    main.answer('server.setAutoAck', ok(false));
    await s().setAutoAck(false);
    expect(s().autoAck).toBe(false);
    expect(main.requests.at(-1)).toEqual({ channel: 'server.setAutoAck', arg: { on: false } });
  });

  it('copying goes through main and says so', async () => {
    const { main, s } = await setup();
    await s().copyText('AA 55', 'Copied as hex');
    expect(main.requests.at(-1)).toEqual({ channel: 'app.copyText', arg: { text: 'AA 55' } });
    expect(s().notice?.text).toBe('Copied as hex');
  });
});

describe('store: redrawing the log', () => {
  it('however many traffic batches arrive before the next frame, the log redraws once, with all of them', async () => {
    const frames: Array<() => void> = [];
    const main = fakeMain();
    const store = createAppStore(main.api, { scheduleFrame: (callback) => frames.push(callback) });
    bindIpc(store, main.api);
    const before = store.getState().logRevision;
    for (let i = 0; i < 5; i++) main.emit('packet.traffic', [entry(packetEntry('in', PacketType.DATA, `#${i}`))]);
    expect(store.getState().log.size).toBe(5); // taken in at once
    expect(store.getState().logRevision).toBe(before); // not drawn yet
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(store.getState().logRevision).toBe(before + 1);
  });
});
