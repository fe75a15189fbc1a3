/** The store's remote-control slice: a run's output streamed in order, its end, refusals, and the host state from main. */
import { describe, expect, it } from 'vitest';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { fail, ok, appError } from '../../../shared/result.ts';
import { fakeMain } from '../../helpers/fakeApi.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  const main = fakeMain();
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  await flush();
  return { main, s: store.getState };
}

const exit = { exitCode: 0, signalled: false, truncated: false, timedOut: false, cancelled: false, bytes: 6, durationMs: 5 };

describe('store: remote control', () => {
  it('a run: its output joins by stream in order, ends with the exit; output of another run is ignored', async () => {
    const { main, s } = await setup();
    main.answer('remote.run', ok({ runId: 7 }));
    await s().runRemoteCommand('echo', [['text', 'hi']]);
    expect(main.requests.at(-1)).toEqual({ channel: 'remote.run', arg: { command: 'echo', args: [['text', 'hi']] } });
    main.emit('remote.output', { runId: 7, stream: 'stdout', text: 'h' });
    main.emit('remote.output', { runId: 7, stream: 'stdout', text: 'i\n' });
    main.emit('remote.output', { runId: 7, stream: 'stderr', text: 'warn\n' });
    main.emit('remote.output', { runId: 99, stream: 'stdout', text: 'not ours' });
    main.emit('remote.end', { runId: 7, exit });
    expect(s().remoteRun).toMatchObject({
      runId: 7,
      command: 'echo',
      output: [
        { stream: 'stdout', text: 'hi\n' },
        { stream: 'stderr', text: 'warn\n' },
      ],
      end: { runId: 7, exit },
    });
    await s().cancelRemoteRun();
    expect(main.requests.at(-1)).toEqual({ channel: 'remote.cancel', arg: { runId: 7 } });
  });

  it('refused before running (no password): the error is shown, no run', async () => {
    const { main, s } = await setup();
    main.answer('remote.run', fail(appError('REMOTE_ERR_NEEDS_AUTHENTICATION', 'Remote control needs a password-authenticated session.')));
    await s().runRemoteCommand('echo', []);
    expect(s().remoteRun).toBeNull();
    expect(s().remoteError).toMatchObject({ code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' });
  });

  it('the host state comes from main; a new link forgets the last one\'s commands', async () => {
    const { main, s } = await setup();
    main.answer('remote.list', ok([{ name: 'uptime', description: 'Uptime.', params: [], confirm: false, timeoutSeconds: 5, maxOutputBytes: 4096, builtin: false }]));
    await s().listRemoteCommands();
    expect(s().remoteCommands?.map((c) => c.name)).toEqual(['uptime']);
    main.emit('link.status', { state: 'connecting', host: '127.0.0.1', port: 1 });
    expect(s().remoteCommands).toBeNull();
    const host = { commandsFile: '/x.json', auditLog: '/a.jsonl', commands: ['echo'], controllers: [{ peer: '127.0.0.1:5', since: 1, running: 0 }], confirms: [] };
    main.emit('remote.host', host);
    expect(s().remoteHost).toEqual(host);
  });
});
