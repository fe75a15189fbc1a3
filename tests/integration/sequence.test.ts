/**
 * `msp --mode client --sequence FILE` through the real CLI over real sockets: sends with
 * counters, waits by type, text, regex and hex mask, a timeout that branches, a timeout that
 * fails, a link that drops mid-wait, and hostile files (too many steps, a pattern that could
 * backtrack for ever, a run that would never end) refused or cut short with the right exit code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MspDecoder, PacketType, encodePacket, utf8DecodeStrict, utf8Encode } from '../../shared/msp/index.ts';
import type { PacketLibraryInput } from '../../shared/automation/packets.ts';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { listenOn } from '../helpers/net.ts';

const dir = mkdtempSync(join(tmpdir(), 'msp-seq-'));
let fileNo = 0;
function libraryFile(library: Omit<PacketLibraryInput, 'format' | 'version'> | string): string {
  const path = join(dir, `lib${++fileNo}.json`);
  writeFileSync(path, typeof library === 'string' ? library : JSON.stringify({ format: 'msp-workbench-packets', version: 1, ...library }));
  return path;
}

type Event = Record<string, unknown>;
const jsonLines = (stdout: string): Event[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
const steps = (stdout: string) => jsonLines(stdout).filter((e) => e.event === 'step');

/**
 * A scripted peer: ACKs every DATA; answers "ping N" with DATA "pong N", "bin" with the
 * bytes 01 02 03, "bye" by closing; ignores anything else. What it received is kept.
 */
async function scriptedPeer() {
  const received: string[] = [];
  const peer = await listenOn((socket) => {
    const decoder = new MspDecoder();
    socket.on('data', (chunk) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'packet' || event.packet.type !== PacketType.DATA) continue;
        const text = utf8DecodeStrict(event.packet.payload) ?? '';
        received.push(text);
        socket.write(encodePacket({ version: 1, type: PacketType.ACK, payload: utf8Encode('OK') }));
        const ping = /^ping (\d+)$/.exec(text);
        if (ping) socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode(`pong ${ping[1]}`) }));
        if (text === 'bin') socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload: Uint8Array.of(1, 2, 3) }));
        if (text === 'bye') socket.destroy();
      }
    });
  });
  return { ...peer, received };
}

let server: CliServer | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const close of closers.splice(0)) await close();
});

const client = (port: number, file: string, ...extra: string[]) => runCli(['--mode', 'client', '--port', String(port), '--sequence', file, '--json', ...extra], 30_000);

describe('msp --mode client --sequence', () => {
  it('sends saved packets with a counter and waits for each ACK, three times round a loop (our server)', async () => {
    server = await startCliServer();
    const file = libraryFile({
      packets: [{ id: 'ping', name: 'Ping', folder: 'Lab', format: 'text', body: 'ping {{counter}}' }],
      sequences: [
        {
          id: 'loop',
          name: 'Loop',
          steps: [
            { do: 'send', packet: 'ping', label: 'top' },
            { do: 'wait', match: { type: 0x11, text: 'OK' }, timeoutMs: 2000 },
            { do: 'repeat', goto: 'top', times: 2 },
          ],
        },
      ],
    });
    const run = await client(server.port, file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const outcomes = steps(run.stdout).map((s) => `${s.index} ${s.outcome}`);
    expect(outcomes).toEqual(['0 sent', '1 matched', '2 repeated', '0 sent', '1 matched', '2 repeated', '0 sent', '1 matched', '2 repeated']);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'sequence', result: 'passed', steps: 9 });
    await server.waitFor((events) => events.filter((e) => e.event === 'packet' && e.dir === 'in').length >= 3);
    const texts = server.events.filter((e) => e.event === 'packet' && e.dir === 'in').map((e) => e.text);
    expect(texts).toEqual(['ping 1', 'ping 2', 'ping 3']);
  });

  it('runs over an MSP v3 secure session: DATA sealed, the sealed ACK matched as an ACK', async () => {
    server = await startCliServer(['--password', 'seq secret']);
    const file = libraryFile({
      packets: [{ id: 'hi', name: 'Hi', body: 'sealed {{counter}}' }],
      sequences: [{ id: 's', name: 'S', steps: [{ do: 'send', packet: 'hi' }, { do: 'wait', match: { type: 0x11, text: 'OK' }, timeoutMs: 5000 }] }],
    });
    const run = await client(server.port, file, '--password', 'seq secret');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(steps(run.stdout)[1]).toMatchObject({ outcome: 'matched', detail: expect.stringMatching(/^got ACK "OK"/) });
    await server.waitFor((events) => events.some((e) => e.event === 'packet' && e.dir === 'in' && e.text === 'sealed 1'));
  });

  it('branches on a timeout to a label, then matches by regex and by hex mask', async () => {
    const peer = await scriptedPeer();
    closers.push(peer.close);
    const file = libraryFile({
      sequences: [
        {
          id: 'branch',
          name: 'Branch',
          steps: [
            { do: 'send', inline: { body: 'hello' } },
            { do: 'wait', match: { text: 'pong' }, timeoutMs: 300, onTimeout: { goto: 'retry' } },
            { do: 'fail', message: 'hello should get no pong' },
            { do: 'send', label: 'retry', inline: { body: 'ping {{counter}}7' } },
            { do: 'wait', match: { type: 0x10, regex: '^pong \\d+$' }, timeoutMs: 2000 },
            { do: 'send', inline: { format: 'hex', body: '62 69 6E' } },
            { do: 'wait', match: { hex: '01 ?? 03' }, timeoutMs: 2000 },
          ],
        },
      ],
    });
    const run = await client(peer.port, file);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const list = steps(run.stdout);
    expect(list[1]).toMatchObject({ index: 1, outcome: 'timed-out' });
    expect(String(list[1].detail)).toMatch(/nothing matching text "pong" within 0\.3 s; going to "retry"/);
    expect(list[2]).toMatchObject({ index: 3, label: 'retry', outcome: 'sent' });
    expect(list[3]).toMatchObject({ index: 4, outcome: 'matched' });
    expect(String(list[3].detail)).toMatch(/^got DATA "pong 17" after \d+ ms$/);
    expect(list[5]).toMatchObject({ index: 6, outcome: 'matched', detail: expect.stringMatching(/^got DATA 01 02 03 after/) });
    expect(peer.received).toEqual(['hello', 'ping 17', 'bin']);
  });

  it('fails with exit 1 when a wait times out with nowhere to go, and when the link drops mid-wait', async () => {
    const peer = await scriptedPeer();
    closers.push(peer.close);
    const timeout = libraryFile({ sequences: [{ id: 't', name: 'T', steps: [{ do: 'send', inline: { body: 'x' } }, { do: 'wait', match: { type: 0x99 }, timeoutMs: 200 }] }] });
    const run = await client(peer.port, timeout);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('Error: Step 2: nothing matching TYPE 0x99 within 0.2 s');
    expect(steps(run.stdout).at(-1)).toMatchObject({ outcome: 'timed-out' });

    const drop = libraryFile({ sequences: [{ id: 'd', name: 'D', steps: [{ do: 'send', inline: { body: 'bye' } }, { do: 'wait', match: { text: 'never' }, timeoutMs: 20_000 }] }] });
    const started = Date.now();
    const dropped = await client(peer.port, drop);
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toMatch(/^Error: .*(closed|reset)/i);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('bounds a hostile file: a run past its maxRunMs is stopped; too many steps, a runaway pattern, junk and a huge file are refused (exit 2)', async () => {
    const peer = await scriptedPeer();
    closers.push(peer.close);
    const forever = libraryFile({
      sequences: [{ id: 'f', name: 'Forever', maxRunMs: 300, steps: [{ do: 'delay', ms: 10, label: 'a' }, { do: 'repeat', goto: 'a', times: 100_000 }] }],
    });
    const cut = await client(peer.port, forever);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/did not finish within 0\.3 s/);

    const tooMany = libraryFile({ sequences: [{ id: 'm', name: 'M', steps: Array.from({ length: 1001 }, () => ({ do: 'delay', ms: 0 })) }] });
    const many = await client(peer.port, tooMany);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/sequences\[0\]\.steps: Too big/i);

    const redos = libraryFile({ sequences: [{ id: 'r', name: 'R', steps: [{ do: 'wait', match: { regex: '^(a+)+$' }, timeoutMs: 10 }] }] });
    const pattern = await client(peer.port, redos);
    expect(pattern.code).toBe(2);
    expect(pattern.stderr).toMatch(/Nested repetition/);

    const junk = await client(peer.port, libraryFile('{"format": "msp-workbench-packets", "version": 1, "packets": [}'));
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/not JSON/);

    const huge = await client(peer.port, libraryFile(' '.repeat(4 * 1024 * 1024 + 1)));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/a packet library is at most/);

    const unknownPacket = libraryFile({ sequences: [{ id: 'u', name: 'U', steps: [{ do: 'send', packet: 'nope' }] }] });
    const unknown = await client(peer.port, unknownPacket);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No saved packet has the id "nope"/);
    expect(peer.received).toEqual([]);
  });
});
