/**
 * A capture made by `tcpdump -i lo` of an original-style client (raw socket writes, as msp.py
 * does) talking to our server, with junk, a frame split over two writes and two frames in one,
 * imports with every packet and every ACK byte-exact, each ACK paired with its DATA.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCapture } from '../../shared/capture/import-capture.ts';
import type { LogEntry } from '../../shared/ipc/types.ts';
import { encodePacket, toHex, utf8Encode } from '../../shared/msp/index.ts';
import { TCPDUMP, tcpdumpSkip } from '../helpers/capture-tools.ts';
import { startCliServer } from '../helpers/cli.ts';
import { connectTo, readUntil } from '../helpers/net.ts';

const dir = mkdtempSync(join(tmpdir(), 'msp-tcpdump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = (text: string) => encodePacket({ version: 1, type: 0x10, payload: utf8Encode(text) });
const ACK = encodePacket({ version: 1, type: 0x11, payload: utf8Encode('OK') });

describe(`a tcpdump capture on lo${tcpdumpSkip.reason}`, { skip: tcpdumpSkip.skip }, () => {
  it('imports with every packet and ACK byte-exact, junk and split frames included', async () => {
    if (!TCPDUMP) throw new Error('tcpdump is required for this test but is not installed (apt-get install tcpdump).');
    const file = join(dir, 'lo.pcap');
    const server = await startCliServer();
    // -U and --immediate-mode: each packet delivered and written at once (else the kernel holds a block of them); -Z root: keep the right to write the file (tcpdump drops to its own user otherwise).
    const dump = spawn(TCPDUMP, ['-i', 'lo', '-n', '-U', '--immediate-mode', '-Z', 'root', '-w', file, `tcp port ${server.port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      dump.stderr!.on('data', (d) => {
        stderr += d;
        if (stderr.includes('listening on')) resolve();
      });
      dump.once('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${stderr}`)));
    });

    const socket = await connectTo(server.port);
    const local = `127.0.0.1:${socket.localPort}`;
    const acks = (n: number) => readUntil(socket, (b) => b.length >= n * ACK.length);
    const junk = utf8Encode('not a frame\n');
    const first = data('Hello MSP');
    let got = acks(1);
    socket.write(Buffer.concat([junk, first]));
    await got;
    const split = data('split in two');
    got = acks(1);
    socket.write(split.subarray(0, 7));
    await server.waitFor((events) => events.some((e) => e.event === 'skipped')); // the junk is logged; then the rest
    socket.write(split.subarray(7));
    await got;
    const merged = [data('three'), data('four')];
    got = acks(2);
    socket.write(Buffer.concat(merged));
    await got;
    socket.end();
    await server.waitFor((events) => events.some((e) => e.event === 'disconnected'));
    await server.stop();
    dump.kill('SIGINT');
    await once(dump, 'exit');

    const entries: LogEntry[] = [];
    const pairs: Array<[number, number]> = [];
    const result = importCapture(readFileSync(file), (event) => {
      if (event.kind === 'entry') entries.push(event.entry);
      if (event.kind === 'ack') pairs.push([event.dataId, event.ackId]);
    });
    if (!result.ok) throw new Error(result.error.message);
    const shown = entries.map((e) => `${e.dir} ${e.kind} ${toHex(e.kind === 'junk' ? e.raw.subarray(0, e.length) : e.raw)}`);
    expect(shown).toEqual([
      `out junk ${toHex(junk)}`,
      `out packet ${toHex(first)}`,
      `in packet ${toHex(ACK)}`,
      `out packet ${toHex(split)}`,
      `in packet ${toHex(ACK)}`,
      `out packet ${toHex(merged[0])}`,
      `out packet ${toHex(merged[1])}`,
      `in packet ${toHex(ACK)}`,
      `in packet ${toHex(ACK)}`,
    ]);
    const id = (i: number) => entries[i].id;
    expect(pairs).toEqual([
      [id(1), id(2)],
      [id(3), id(4)],
      [id(5), id(7)],
      [id(6), id(8)],
    ]);
    expect(new Set(entries.map((e) => e.peer))).toEqual(new Set([`${local} → 127.0.0.1:${server.port}`]));
    expect(result.value.streams).toMatchObject([{ kind: 'tcp', verdict: 'msp', packets: 8, lostBytes: 0 }]);
    // The server printed the same packets.
    const printed = server.events.filter((e) => e.event === 'packet').map((e) => `${e.dir === 'in' ? 'out' : 'in'} ${e.type} ${e.text}`);
    expect(printed).toHaveLength(8);
  });
});
