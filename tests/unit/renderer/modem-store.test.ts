/**
 * The store's X/Y/ZMODEM slice: the draft checked before main is asked, files read and handed
 * to main (upload requests) before modem.send names them, receive options, main's run updates,
 * Cancel, and refusals from main kept as errors.
 */
import { describe, expect, it } from 'vitest';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { modemLineFromDraft, modemMaxSize } from '../../../renderer/src/store/modemSlice.ts';
import type { ModemRunView } from '../../../shared/ipc/modem.ts';
import { appError, fail, ok } from '../../../shared/result.ts';
import { fakeMain } from '../../helpers/fakeApi.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  const main = fakeMain();
  main.answer('modem.snapshot', ok({ run: null, receiveFolder: '/home/u/Downloads', maxFileSize: 1 << 30 }));
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  await flush();
  await store.getState().loadModem();
  return { main, s: store.getState };
}

const file = (name: string, text: string) => new File([new TextEncoder().encode(text)], name);

describe('store: X/Y/ZMODEM', () => {
  it('the receive folder defaults to main\'s (the Transfers tool\'s), and is not replaced once typed', async () => {
    const { s } = await setup();
    expect(s().modemDraft.folder).toBe('/home/u/Downloads');
    s().setModemDraft({ folder: '/tmp/in' });
    await s().loadModem();
    expect(s().modemDraft.folder).toBe('/tmp/in');
  });

  it('checks the line before asking main', () => {
    const base = { kind: 'serial', path: '', baudText: '115200', baudCustom: false, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', host: '', portText: '', protocol: 'zmodem', direction: 'send', folder: '', overwrite: false, maxSizeText: '1G', xmodemName: '' } as const;
    expect(modemLineFromDraft(base)).toMatchObject({ ok: false, error: { code: 'UI_ERR_NO_SERIAL_PATH' } });
    expect(modemLineFromDraft({ ...base, path: ' /dev/ttyS0 ', baudText: '12x' })).toMatchObject({ ok: false, error: { code: 'UI_ERR_BAD_BAUD' } });
    expect(modemLineFromDraft({ ...base, path: '/dev/ttyS0' })).toEqual({
      ok: true,
      value: { kind: 'serial', path: '/dev/ttyS0', baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    });
    expect(modemLineFromDraft({ ...base, kind: 'tcp', host: 'bbs', portText: '0' })).toMatchObject({ ok: false, error: { code: 'UI_ERR_BAD_PORT' } });
    expect(modemLineFromDraft({ ...base, kind: 'tcp', host: ' bbs ', portText: '2323' })).toEqual({ ok: true, value: { kind: 'tcp', host: 'bbs', port: 2323 } });
    expect(modemMaxSize('500K')).toBe(512_000);
    expect(modemMaxSize('0')).toBeUndefined();
    expect(modemMaxSize('1T')).toBeUndefined();
  });

  it('Send: each file is uploaded in order, then modem.send names the uploads; the chosen list empties', async () => {
    const { main, s } = await setup();
    let next = 0;
    main.answer('transfer.uploadStart', ok({ uploadId: 'u?' }));
    // Distinct ids: answer per call.
    const invoke = main.api.transfer.uploadStart;
    main.api.transfer.uploadStart = async (arg) => (await invoke(arg), ok({ uploadId: `u${++next}` }));
    main.answer('modem.send', ok({ runId: 1 }));
    s().setModemDraft({ path: '/tmp/A', protocol: 'ymodem' });
    s().addModemFiles([file('a.txt', 'abc'), file('b.txt', 'hello')]);
    await s().startModem();
    const channels = main.requests.map((r) => r.channel).filter((c) => c.startsWith('transfer.') || c.startsWith('modem.send'));
    expect(channels).toEqual(['transfer.uploadStart', 'transfer.uploadChunk', 'transfer.uploadStart', 'transfer.uploadChunk', 'modem.send']);
    expect(main.requests.find((r) => r.channel === 'transfer.uploadChunk')!.arg).toEqual({ uploadId: 'u1', offset: 0, data: 'YWJj' });
    expect(main.requests.at(-1)!.arg).toEqual({
      line: { kind: 'serial', path: '/tmp/A', baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
      protocol: 'ymodem',
      uploadIds: ['u1', 'u2'],
    });
    expect(s().modemFiles).toEqual([]);
    expect(s().modemStarting).toBe(false);
  });

  it('Send refuses nothing chosen, and XMODEM keeps only the newest file', async () => {
    const { main, s } = await setup();
    s().setModemDraft({ path: '/tmp/A' });
    await s().startModem();
    expect(s().modemError).toMatchObject({ code: 'UI_ERR_NO_FILES' });
    s().setModemDraft({ protocol: 'xmodem' });
    s().addModemFiles([file('a.bin', 'a')]);
    s().addModemFiles([file('b.bin', 'b')]);
    expect(s().modemFiles.map((f) => f.name)).toEqual(['b.bin']);
    expect(main.requests.some((r) => r.channel === 'modem.send')).toBe(false);
  });

  it('Receive sends the folder, overwrite, the size and (XMODEM) the name; a refusal from main is kept', async () => {
    const { main, s } = await setup();
    s().setModemDraft({ path: '/tmp/A', direction: 'receive', protocol: 'xmodem-1k', maxSizeText: '2M', overwrite: true });
    await s().startModem();
    expect(s().modemError).toMatchObject({ code: 'UI_ERR_XMODEM_NAME' });
    s().setModemDraft({ xmodemName: 'fw.bin', maxSizeText: 'big' });
    await s().startModem();
    expect(s().modemError).toMatchObject({ code: 'UI_ERR_BAD_MAX_SIZE' });
    s().setModemDraft({ maxSizeText: '2M' });
    main.answer('modem.receive', fail(appError('MODEM_ERR_PORT_IN_USE', '/tmp/A is open for this window\'s MSP link')));
    await s().startModem();
    expect(main.requests.at(-1)).toEqual({
      channel: 'modem.receive',
      arg: {
        line: { kind: 'serial', path: '/tmp/A', baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
        protocol: 'xmodem-1k',
        folder: '/home/u/Downloads',
        overwrite: true,
        maxFileSize: 2 * 1024 * 1024,
        xmodemName: 'fw.bin',
      },
    });
    expect(s().modemError).toMatchObject({ code: 'MODEM_ERR_PORT_IN_USE' });
  });

  it('takes main\'s run updates, and Cancel asks main', async () => {
    const { main, s } = await setup();
    const run: ModemRunView = { runId: 3, direction: 'send', protocol: 'zmodem', line: '/tmp/A 115200 8N1', state: 'running', files: [{ name: 'a', size: 10, bytes: 5, rateBytesPerSec: 100, retries: 1, state: 'running' }] };
    main.emit('modem.update', run);
    expect(s().modemRun).toEqual(run);
    await s().cancelModem();
    expect(main.requests.at(-1)).toEqual({ channel: 'modem.cancel', arg: undefined });
    main.emit('modem.update', { ...run, state: 'cancelled', error: { code: 'MODEM_ERR_STOPPED', message: 'Stopped.' } });
    expect(s().modemRun?.state).toBe('cancelled');
  });
});
