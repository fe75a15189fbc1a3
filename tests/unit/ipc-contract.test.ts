import { afterEach, describe, expect, it } from 'vitest';
import { API_NAMESPACES, createMspApi, type IpcTransport } from '../../shared/ipc/api.ts';
import { EVENT_NAMES, REQUEST_NAMES, requestSchemas, type RequestName } from '../../shared/ipc/contract.ts';
import { ok } from '../../shared/result.ts';
import { createRequestRouter } from '../../electron/main/ipc/router.ts';
import { requestHandlers, type PlatformServices } from '../../electron/main/ipc/handlers.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';

const services: PlatformServices = {
  copyText: async () => ok(null),
  openExternal: async () => ok(null),
};

let recorded: RecordedBackend | undefined;
afterEach(async () => {
  await recorded?.backend.dispose();
  recorded = undefined;
});

function router() {
  recorded = recordedBackend();
  return createRequestRouter(requestHandlers(recorded.backend, services));
}

describe('IPC: main validates every request before acting', () => {
  it.each([
    ['link.open', { mode: 'client', host: '127.0.0.1', port: 70000 }, /port/],
    ['link.open', { mode: 'client', host: '', port: 9009 }, /host/i],
    ['link.open', { mode: 'server', bind: '192.168.1.5', port: 9009 }, /bind/],
    ['link.open', { mode: 'client', host: '127.0.0.1', port: 9009, shell: 'rm -rf /' }, /shell/],
    ['link.open', 'client 127.0.0.1 9009', /object/],
    ['packet.send', { format: 'binary', input: 'x' }, /format/],
    ['packet.send', { format: 'text', input: 'x', repeat: 0 }, /repeat/],
    ['server.disconnect', { clientId: '1' }, /clientId/],
    ['server.setAutoAck', { on: 'yes' }, /on/],
    ['settings.save', { history: 'Hello' }, /history/],
    ['app.init', { please: true }, /undefined/],
  ])('%s(%j) is refused', async (channel, arg, mentions) => {
    const result = await router()(channel, arg);
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_ERR_BAD_ARGUMENT' } });
    if (!result.ok) expect(result.error.message).toMatch(mentions);
    expect(recorded!.events).toEqual([]); // nothing was acted on
  });

  it('an unknown channel is refused', async () => {
    expect(await router()('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'IPC_ERR_UNKNOWN_REQUEST' },
    });
    expect(await router()('__proto__', undefined)).toMatchObject({ ok: false, error: { code: 'IPC_ERR_UNKNOWN_REQUEST' } });
  });

  it('a valid request reaches the backend and answers with a Result', async () => {
    const route = router();
    expect(await route('settings.save', { mode: 'server' })).toMatchObject({ ok: true, value: { mode: 'server' } });
    const init = await route('app.init', undefined);
    expect(init).toMatchObject({ ok: true, value: { settings: { mode: 'server' }, status: { state: 'idle' }, autoAck: true } });
  });

  it('a handler that throws becomes an error a person can read, not a crash', async () => {
    recorded = recordedBackend();
    const handlers = requestHandlers(recorded.backend, {
      ...services,
      copyText: async () => {
        throw new Error('clipboard is gone');
      },
    });
    expect(await createRequestRouter(handlers)('app.copyText', { text: 'AA 55' })).toEqual({
      ok: false,
      error: { code: 'APP_ERR_INTERNAL', message: 'Something went wrong in the app: clipboard is gone' },
    });
  });
});

describe('window.msp: each method uses its own channel with an argument that channel accepts', () => {
  it('covers every request and event of the contract', async () => {
    const invoked: Array<[string, unknown]> = [];
    const subscribed: string[] = [];
    const transport: IpcTransport = {
      invoke: async (channel, arg) => {
        invoked.push([channel, arg]);
        return ok(null as never);
      },
      subscribe: (channel) => {
        subscribed.push(channel);
        return () => {};
      },
    };
    const api = createMspApi(transport);
    await api.app.init();
    await api.app.copyText({ text: 'AA 55' });
    await api.app.openExternal({ url: 'https://learn.microsoft.com/' });
    await api.link.open({ mode: 'server', bind: '127.0.0.1', port: 0 });
    await api.link.close();
    await api.packet.send({ format: 'text', input: 'Hello MSP' });
    await api.packet.cancelSend();
    await api.server.disconnect({ clientId: 3 });
    await api.server.setAutoAck({ on: false });
    await api.settings.save({ theme: 'dark' });
    await api.serial.options();
    await api.serial.listPorts();
    await api.serial.open({ path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'sender' });
    await api.serial.setSignals({ dtr: false });
    await api.secrets.forget({ mode: 'client' });
    await api.packets.load();
    await api.packets.save({ format: 'msp-workbench-packets', version: 1, packets: [{ id: 'p', name: 'P', body: 'x {{counter}}' }] });
    await api.packets.import({ text: '{}' });
    await api.packets.send({ id: 'p' });
    await api.sequence.run({ id: 's' });
    await api.sequence.control({ action: 'pause' });
    api.sequence.onProgress(() => {});
    await api.automation.setRules({ version: 1, rules: [{ match: { kind: 'any' }, action: { kind: 'drop-ack' } }] });
    await api.automation.status();
    await api.transfer.snapshot();
    await api.transfer.uploadStart({ name: 'a.txt', size: 3 });
    await api.transfer.uploadChunk({ uploadId: 'u1', offset: 0, data: 'YWJj' });
    await api.transfer.uploadFinish({ uploadId: 'u1' });
    await api.transfer.stop({ key: 's1', how: 'paused' });
    await api.transfer.resume({ key: 's1' });
    await api.transfer.answer({ offerId: 'o1', accept: true });
    await api.transfer.setReceive({ mode: 'ask' });
    api.transfer.onUpdate(() => {});
    api.transfer.onOffers(() => {});
    await api.remote.list();
    await api.remote.run({ command: 'echo', args: [['text', 'hi']] });
    await api.remote.cancel({ runId: 1 });
    await api.remote.state();
    await api.remote.useCommands({ path: '/etc/msp/remote-commands.json' });
    await api.remote.stopCommands();
    await api.remote.revoke({ peer: '127.0.0.1:50000' });
    await api.remote.confirm({ confirmId: 1, allow: true });
    api.remote.onOutput(() => {});
    api.remote.onEnd(() => {});
    api.remote.onHost(() => {});
    api.link.onStatus(() => {});
    api.packet.onTraffic(() => {});
    api.packet.onSendProgress(() => {});
    api.server.onClients(() => {});
    api.stats.onRates(() => {});
    api.automation.onFired(() => {});

    expect(Object.keys(api).sort()).toEqual([...API_NAMESPACES].sort());
    expect([...API_NAMESPACES].sort()).toEqual([
      'app', 'automation', 'link', 'packet', 'packets', 'remote', 'secrets', 'sequence', 'serial', 'server', 'settings', 'stats', 'transfer',
    ]);
    expect(invoked.map(([c]) => c).sort()).toEqual([...REQUEST_NAMES].sort());
    expect(subscribed.sort()).toEqual([...EVENT_NAMES].sort());
    for (const [channel, arg] of invoked) {
      expect(requestSchemas[channel as RequestName].safeParse(arg).success, channel).toBe(true);
    }
  });
});
