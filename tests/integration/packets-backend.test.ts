/**
 * The Packets tool's backend over real sockets: packets.json written and read back, a damaged
 * file set aside (never overwritten), import merging (an id replaced, a taken shortcut kept),
 * sends with a counter and with a TYPE of their own, a sequence run with its progress events,
 * and a sequence stopped when the link goes.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, encodePacket, utf8DecodeStrict, utf8Encode, type Packet } from '../../shared/msp/index.ts';
import type { PacketLibraryInput } from '../../shared/automation/packets.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { listenOn } from '../helpers/net.ts';

const library = (patch: Partial<PacketLibraryInput> = {}): PacketLibraryInput => ({
  format: 'msp-workbench-packets',
  version: 1,
  packets: [
    { id: 'ping', name: 'Ping', folder: 'Lab', body: 'ping {{counter}}', key: 1 },
    { id: 'query', name: 'Query', folder: 'Lab', format: 'hex', body: '51 {{counter:u8}}', type: 0x60, version: 7 },
  ],
  sequences: [{ id: 'seq', name: 'Seq', steps: [{ do: 'send', packet: 'ping' }, { do: 'wait', match: { type: 0x11 }, timeoutMs: 2000 }] }],
  ...patch,
});

/** A peer that ACKs DATA and records every packet it gets. */
async function peer() {
  const got: Packet[] = [];
  const server = await listenOn((socket) => {
    const decoder = new MspDecoder();
    socket.on('data', (chunk) => {
      for (const e of decoder.push(chunk)) {
        if (e.kind !== 'packet') continue;
        got.push({ ...e.packet, payload: e.packet.payload.slice() });
        if (e.packet.type === PacketType.DATA) socket.write(encodePacket({ version: 1, type: PacketType.ACK, payload: utf8Encode('OK') }));
      }
    });
  });
  return { ...server, got };
}

let recorded: RecordedBackend | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await recorded?.backend.dispose();
  recorded = undefined;
  for (const close of closers.splice(0)) await close();
});

describe('PacketsBackend', () => {
  it('saves packets.json beside settings.json and reads it back; a damaged file is set aside', async () => {
    recorded = recordedBackend();
    const { backend, settingsFile } = recorded;
    expect(await backend.packets.load()).toMatchObject({ ok: true, value: { library: { packets: [] } } });
    expect((await backend.packets.save(library())).ok).toBe(true);
    const file = join(dirname(settingsFile), 'packets.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).packets[0].id).toBe('ping');

    const again = recordedBackend({ settingsFile });
    expect(await again.backend.packets.load()).toMatchObject({ ok: true, value: { library: { packets: [{ id: 'ping' }, { id: 'query' }] } } });

    writeFileSync(file, '{"format": "msp-workbench-packets", "version": 1, "packets": [{"id": "x", "name": "X", "body": "{{bad}}"}]}');
    const third = recordedBackend({ settingsFile });
    const loaded = await third.backend.packets.load();
    expect(loaded.ok && loaded.value.warning?.message).toMatch(/damaged .*is not a field.*kept as .*packets\.json\.damaged-/);
    expect(loaded.ok && loaded.value.library.packets).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dirname(file)).some((name) => name.startsWith('packets.json.damaged-'))).toBe(true);
  });

  it('imports into the library: same ids replaced, a taken shortcut kept where it is; bad files refused', async () => {
    recorded = recordedBackend();
    const { backend } = recorded;
    await backend.packets.save(library());
    const incoming = JSON.stringify(library({ packets: [{ id: 'ping', name: 'Ping 2', body: 'p2' }, { id: 'new', name: 'New', body: 'n', key: 1 }], sequences: [] }));
    const merged = await backend.packets.importText(incoming, false);
    expect(merged.ok && merged.value.packets.map((p) => [p.id, p.name, p.key])).toEqual([
      ['query', 'Query', undefined],
      ['ping', 'Ping 2', undefined],
      ['new', 'New', 1],
    ]);
    // The sequence that sends "ping" still finds it.
    expect(merged.ok && merged.value.sequences.map((s) => s.id)).toEqual(['seq']);
    expect(await backend.packets.importText('not json', false)).toMatchObject({ ok: false, error: { code: 'PACKETS_ERR_NOT_JSON' } });
    expect(await backend.packets.send('nope')).toMatchObject({ ok: false, error: { code: 'PACKETS_ERR_NOT_FOUND' } });
    expect(await backend.packets.send('query')).toMatchObject({ ok: false, error: { code: 'APP_ERR_NOT_CONNECTED' } });
  });

  it('sends saved packets over a real socket (counter per packet, TYPE and VERSION as saved), and runs a sequence', async () => {
    const server = await peer();
    closers.push(server.close);
    recorded = recordedBackend();
    const { backend } = recorded;
    await backend.packets.save(library());
    expect((await backend.openLink({ mode: 'client', host: '127.0.0.1', port: server.port })).ok).toBe(true);
    await backend.packets.send('ping');
    await backend.packets.send('ping');
    await backend.packets.send('query');
    await recorded.waitFor(() => server.got.length === 3, 'three packets');
    // DATA goes stop-and-wait (ping 2 after ping 1's ACK), like the send box's; other TYPEs at once.
    expect(server.got.map((p) => [p.type, p.version, utf8DecodeStrict(p.payload)])).toEqual(
      expect.arrayContaining([
        [0x10, 1, 'ping 1'],
        [0x10, 1, 'ping 2'],
        [0x60, 7, 'Q\u0001'],
      ]),
    );
    // A DATA of the link's VERSION goes as a message: its ACK is paired in the log.
    await recorded.waitFor(() => recorded!.traffic().filter((t) => t.kind === 'ack').length === 2, 'two ACKs paired');

    expect((await backend.packets.runSequence('seq')).ok).toBe(true);
    await recorded.waitFor(() => recorded!.payloads('sequence.progress').some((p) => p.state === 'passed'), 'the sequence to pass');
    const steps = recorded.payloads('sequence.progress').flatMap((p) => (p.step ? [p.step] : []));
    expect(steps.map((s) => s.outcome)).toEqual(['sent', 'matched']);
    expect(utf8DecodeStrict(server.got[3].payload)).toBe('ping 3');
  });

  it('a running sequence stops when the link is closed', async () => {
    const server = await peer();
    closers.push(server.close);
    recorded = recordedBackend();
    const { backend } = recorded;
    await backend.packets.save(library({ sequences: [{ id: 'long', name: 'Long', steps: [{ do: 'wait', match: { text: 'never' }, timeoutMs: 3_600_000 }] }] }));
    await backend.openLink({ mode: 'client', host: '127.0.0.1', port: server.port });
    await backend.packets.runSequence('long');
    expect(await backend.packets.runSequence('long')).toMatchObject({ ok: false, error: { code: 'SEQ_ERR_BUSY' } });
    await backend.closeLink();
    await recorded.waitFor(() => recorded!.payloads('sequence.progress').some((p) => p.state === 'stopped'), 'the sequence to stop');
  });
});
