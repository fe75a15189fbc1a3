/** The Packets panel's store: ids from names, the draft checked and saved, a shortcut moved, sends aimed, sequence progress kept bounded. */
import { describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result.ts';
import type { PacketLibrary } from '../../../shared/automation/packets.ts';
import { bindIpc } from '../../../renderer/src/store/bindIpc.ts';
import { createAppStore } from '../../../renderer/src/store/createAppStore.ts';
import { RUN_STEPS_SHOWN, makePacketId } from '../../../renderer/src/store/packetsSlice.ts';
import { fakeMain } from '../../helpers/fakeApi.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));
const LIBRARY: PacketLibrary = {
  format: 'msp-workbench-packets',
  version: 1,
  packets: [{ id: 'a', name: 'A', folder: '', format: 'text', body: 'a', type: 0x10, version: 1, key: 1 }],
  sequences: [],
};

async function setup() {
  const main = fakeMain();
  main.answer('packets.load', ok({ library: LIBRARY }));
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  await flush();
  return { main, store, s: () => store.getState() };
}

describe('packets in the store', () => {
  it('loads the library at start-up', async () => {
    const { s } = await setup();
    expect(s().packetsLoaded).toBe(true);
    expect(s().library.packets.map((p) => p.id)).toEqual(['a']);
  });

  it('makes ids from names, unique', () => {
    expect(makePacketId('Hello device', new Set())).toBe('Hello-device');
    expect(makePacketId('Hello device', new Set(['Hello-device']))).toBe('Hello-device-2');
    expect(makePacketId('ステータス', new Set())).toBe('packet');
  });

  it('checks the draft, saves it with the shortcut moved to it, and refuses a bad TYPE without asking main', async () => {
    const { main, s } = await setup();
    s().editPacket();
    s().setPacketDraft({ name: 'B', body: 'b {{counter}}', type: 'G1' });
    expect(await s().savePacketDraft()).toBe(false);
    expect(s().packetsError?.code).toBe('UI_ERR_BAD_TYPE');
    expect(main.requests.some((r) => r.channel === 'packets.save')).toBe(false);
    s().setPacketDraft({ type: '60', key: '1' });
    main.answer('packets.save', ok(LIBRARY));
    expect(await s().savePacketDraft()).toBe(true);
    const saved = main.requests.find((r) => r.channel === 'packets.save')!.arg as PacketLibrary;
    expect(saved.packets).toEqual([
      { id: 'a', name: 'A', folder: '', format: 'text', body: 'a', type: 0x10, version: 1 },
      { id: 'B', name: 'B', folder: '', format: 'text', body: 'b {{counter}}', type: 0x60, version: 1, key: 1 },
    ]);
    expect(s().packetDraft).toBeNull();
  });

  it('sends to the chosen client of a server, and keeps a run to its newest steps', async () => {
    const { main, s, store } = await setup();
    store.setState({ sendTarget: 4 });
    await s().sendSaved('a');
    expect(main.requests.at(-1)).toEqual({ channel: 'packets.send', arg: { id: 'a', to: 4 } });
    for (let i = 0; i < RUN_STEPS_SHOWN + 10; i++) {
      main.emit('sequence.progress', { sequenceId: 's', state: 'running', step: { index: 0, step: 'send', outcome: 'sent', detail: `#${i}`, at: i } });
    }
    expect(s().sequenceRun.steps).toHaveLength(RUN_STEPS_SHOWN);
    expect(s().sequenceRun.steps.at(-1)?.detail).toBe(`#${RUN_STEPS_SHOWN + 9}`);
    main.emit('sequence.progress', { sequenceId: 's', state: 'failed', error: { code: 'SEQ_ERR_STEP_FAILED', message: 'Step 2: nothing' } });
    expect(s().sequenceRun).toMatchObject({ state: 'failed', error: { code: 'SEQ_ERR_STEP_FAILED' } });
  });
});
