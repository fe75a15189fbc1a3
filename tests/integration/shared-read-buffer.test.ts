/**
 * Plain TCP sessions read into one buffer shared by the whole process (shared-read-buffer.ts):
 * every read overwrites the last. These run several sessions on both ends in this one process,
 * all reading at once, and check that no one's bytes end up in another's or change after the
 * fact: files arrive whole, and the log's copy of each DATA payload is what its client sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTcp } from '../../electron/main/link/tcp-client.ts';
import { TcpServer, type ServerEvent } from '../../electron/main/link/tcp-server.ts';
import type { Session } from '../../electron/main/link/session.ts';
import { FileTransferService } from '../../electron/main/link/services/file-transfer/file-transfer-service.ts';
import { ReceiveFolder } from '../../electron/main/link/services/file-transfer/receive-folder.ts';
import { waitFor } from '../helpers/wait.ts';

let dir: string;
let server: TcpServer | undefined;
const sessions: Session[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'msp-shared-read-'));
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.close();
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function connect(port: number, services: (() => FileTransferService)[] = []): Promise<Session> {
  const connected = await connectTcp({ host: '127.0.0.1', port, session: { autoAck: true, services } });
  if (!connected.ok) throw new Error(connected.error.message);
  sessions.push(connected.session);
  return connected.session;
}

describe('TCP sessions sharing one read buffer', () => {
  it('three clients send a file each at the same time to one server: all three arrive whole', async () => {
    const rx = join(dir, 'rx');
    mkdirSync(rx);
    const folder = await ReceiveFolder.open({ dir: rx });
    if (!folder.ok) throw new Error(folder.error);
    server = new TcpServer({
      host: '127.0.0.1',
      port: 0,
      session: { autoAck: true, services: [() => new FileTransferService({ receive: async () => ({ folder: folder.value }) })] },
      traffic: false,
    });
    const started = await server.listen();
    if (!started.ok) throw new Error(started.error.message);
    const files = ['a.bin', 'b.bin', 'c.bin'].map((name, i) => {
      const bytes = randomBytes(3_000_000 + i * 77_777);
      writeFileSync(join(dir, name), bytes);
      return { name, bytes };
    });
    const senders = await Promise.all(
      files.map(async () => {
        let service: FileTransferService | undefined;
        await connect(started.port, [() => (service = new FileTransferService())]);
        return service!;
      }),
    );
    const outcomes = await Promise.all(files.map((f, i) => senders[i]!.sendFile(join(dir, f.name))));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: true });
    for (const f of files) expect(sha(readFileSync(join(rx, f.name)))).toBe(sha(f.bytes));
  });

  it("the server's log keeps each client's DATA payloads as that client sent them, while all of them send at once", async () => {
    // Kept as the events came, read only at the end: as the app's log keeps them.
    const logged = new Map<string, Uint8Array[]>();
    server = new TcpServer({
      host: '127.0.0.1',
      port: 0,
      session: { autoAck: true },
      observer: (event: ServerEvent) => {
        if (event.kind !== 'session' || event.event.kind !== 'packet' || event.event.dir !== 'in') return;
        const list = logged.get(event.peer) ?? [];
        list.push(event.event.packet.payload);
        logged.set(event.peer, list);
      },
    });
    const started = await server.listen();
    if (!started.ok) throw new Error(started.error.message);
    const clients = await Promise.all([0, 1, 2].map(() => connect(started.port)));
    const sent = clients.map((_, c) => Array.from({ length: 300 }, (_, i) => `client ${c} message ${i} `.repeat(1 + (i % 40))));
    const results = await Promise.all(clients.map((client, c) => Promise.all(sent[c]!.map((text) => client.sendMessage(Buffer.from(text, 'latin1'))))));
    for (const list of results) for (const result of list) expect(result.ok).toBe(true);
    await waitFor(() => [...logged.values()].reduce((n, list) => n + list.length, 0) === 900, 'all 900 messages in the log');
    // Peers are "127.0.0.1:port"; each client's list is its own messages, in order, unchanged.
    const texts = [...logged.values()].map((list) => list.map((payload) => Buffer.from(payload).toString('latin1')));
    const byFirst = new Map(texts.map((list) => [list[0]!, list]));
    for (const messages of sent) expect(byFirst.get(messages[0]!)).toEqual(messages);
  });
});
