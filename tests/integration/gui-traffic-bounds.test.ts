/**
 * A hostile client against the desktop app's server panel, over a real socket on
 * 127.0.0.1: whatever it sends, every batch the backend emits for the window stays within
 * TRAFFIC_BATCH_MAX_BYTES, and the renderer's store fed those batches keeps its log within
 * LOG_MAX_BYTES and says what it dropped. Each test waits for sentinels (the ACKs, the
 * client leaving the server's list), never a fixed sleep.
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { LOG_MAX_BYTES, TRAFFIC_BATCH_MAX_BYTES } from '../../shared/limits.ts';
import { trafficEventBytes } from '../../shared/ipc/trafficBytes.ts';
import type { TrafficEvent } from '../../shared/ipc/types.ts';
import { createAppStore } from '../../renderer/src/store/createAppStore.ts';
import { bindIpc } from '../../renderer/src/store/bindIpc.ts';
import { fakeMain } from '../helpers/fakeApi.ts';
import { connectTo, readUntil } from '../helpers/net.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';

const ACK_LENGTH = 9;
const opened: RecordedBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.backend.dispose()));
});

async function serverPanel(): Promise<{ server: RecordedBackend; port: number }> {
  const server = recordedBackend();
  opened.push(server);
  const listening = await server.backend.openLink({ mode: 'server', bind: '127.0.0.1', port: 0 });
  if (!listening.ok || listening.value.state !== 'listening') throw new Error(`listen failed: ${JSON.stringify(listening)}`);
  return { server, port: listening.value.port };
}

/** Sends `bytes` as a client, waits for `ackCount` ACKs, leaves, and waits until the server panel has seen it leave. */
async function attack(server: RecordedBackend, port: number, bytes: Buffer, ackCount: number): Promise<void> {
  await asClient(server, port, async (socket) => {
    const acks = ackCount > 0 ? readUntil(socket, (got) => got.length >= ackCount * ACK_LENGTH, 60_000) : undefined;
    if (!socket.write(bytes)) await once(socket, 'drain');
    await acks;
  });
}

/**
 * Then a second client sends one DATA, and the test waits for its ACK in the traffic: the
 * window is sent its traffic in order, so all before it has been emitted (or counted as dropped).
 */
async function sentinel(server: RecordedBackend, port: number): Promise<void> {
  const clientId = server.payloads('server.clients').flat().reduce((max, c) => Math.max(max, c.clientId), 0) + 1;
  await asClient(server, port, async (socket) => {
    socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('sentinel') }));
    await server.waitFor(() => server.entries().some((e) => e.clientId === clientId && e.dir === 'out'), 'the sentinel\'s ACK', 60_000);
  });
}

async function asClient(server: RecordedBackend, port: number, use: (socket: Socket) => Promise<void>): Promise<void> {
  const socket = await connectTo(port);
  socket.on('error', () => {});
  socket.resume();
  await server.waitFor(() => server.payloads('server.clients').at(-1)?.length === 1, 'the client in the list');
  await use(socket);
  socket.end();
  await server.waitFor(() => server.payloads('server.clients').at(-1)?.length === 0, 'the client to leave', 60_000);
}

/** The batches as the window got them, checked against the byte budget, then fed to a renderer store. */
function windowAfter(server: RecordedBackend) {
  const batches = server.payloads('packet.traffic');
  const batchBytes = batches.map((batch) => batch.reduce((sum, e) => sum + trafficEventBytes(e), 0));
  const main = fakeMain();
  const store = createAppStore(main.api);
  bindIpc(store, main.api);
  for (const batch of batches) main.emit('packet.traffic', batch);
  const events: TrafficEvent[] = batches.flat();
  const droppedInMain = events.reduce((n, e) => n + (e.kind === 'dropped' ? e.events : 0), 0);
  const entries = events.filter((e) => e.kind === 'entry').length;
  return { batches, batchBytes, log: store.getState().log, droppedInMain, entries };
}

describe('the GUI server panel under a flood: batches and log bounded in bytes', () => {
  it('1 MB of repeated AA 55 FF FF: every batch within the byte budget, the log within its byte bound, nothing unaccounted', async () => {
    const { server, port } = await serverPanel();
    await attack(server, port, Buffer.alloc(1_000_000, Buffer.from('aa55ffff', 'hex')), 0);
    await sentinel(server, port);

    const window = windowAfter(server);
    expect(window.batches.length).toBeGreaterThan(0);
    expect(Math.max(...window.batchBytes)).toBeLessThanOrEqual(TRAFFIC_BATCH_MAX_BYTES);
    const { log } = window;
    expect(log.bytes).toBeLessThanOrEqual(LOG_MAX_BYTES);
    // Every entry that reached the window is held or counted as dropped; what main dropped is counted too.
    expect(log.size + log.dropped).toBe(window.entries);
    expect(log.skipped.events).toBe(window.droppedInMain);
  }, 120_000);

  it('200 valid 60 KiB DATA packets: batches within the budget; the log keeps the newest within 64 MiB and reports the older ones dropped', async () => {
    const { server, port } = await serverPanel();
    const packets = Array.from({ length: 200 }, (_, i) =>
      encodePacket({ version: 1, type: PacketType.DATA, payload: new Uint8Array(60 * 1024).fill(0x41 + (i % 26)) }),
    );
    await attack(server, port, Buffer.concat(packets), 200);
    await sentinel(server, port);

    const window = windowAfter(server);
    expect(Math.max(...window.batchBytes)).toBeLessThanOrEqual(TRAFFIC_BATCH_MAX_BYTES);
    const { log } = window;
    expect(log.bytes).toBeLessThanOrEqual(LOG_MAX_BYTES);
    expect(log.size + log.dropped).toBe(window.entries);
    expect(log.skipped.events).toBe(window.droppedInMain);
    // 200 DATA in and 200 ACKs out, and the sentinel's two, reached the window or were counted as dropped on the way.
    expect(window.entries + window.droppedInMain).toBe(402);
    // The log could not keep them all: it kept the newest and said so.
    expect(log.dropped).toBeGreaterThan(0);
    expect(log.size).toBeLessThan(window.entries);
    const newest = log.viewAt(log.viewLength - 1)!;
    expect(newest.seq).toBe(window.entries);
  }, 120_000);
});
