/**
 * `msp --mode conform` through the real CLI over real sockets: against our own server every
 * case passes; against a double of the original msp.py (tests/helpers/original-server.ts,
 * written from MSP.md) exactly its known deviations fail, each named; against a peer that
 * never answers, or one that floods, every case ends in bounded time. Reports in Markdown
 * and HTML; a serial responder over a socat pty pair.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConformSettings } from '../../electron/main/conform/cases.ts';
import { PROBE_MAX_BYTES } from '../../electron/main/conform/probe.ts';
import { caseJson, caseText } from '../../electron/main/conform/report.ts';
import { runConformance } from '../../electron/main/conform/runner.ts';
import { tcpWire } from '../../electron/main/conform/wires.ts';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { startCli, stopAllClis } from '../helpers/cli-process.ts';
import { listenOn } from '../helpers/net.ts';
import { startOriginalServer, type OriginalServer } from '../helpers/original-server.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';

type Event = Record<string, unknown>;
const events = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);
const cases = (stdout: string) => events(stdout).filter((e) => e.event === 'case');
const summary = (stdout: string) => events(stdout).find((e) => e.event === 'summary')!;
const ids = (list: Event[], status: string) => list.filter((e) => e.status === status).map((e) => e.id);

/** What a server written like msp.py fails: one packet per read, no reassembly, no resync, raises on bad UTF-8. */
const ORIGINAL_DEVIATIONS = [
  'payload-1024',
  'payload-65528',
  'non-utf8',
  'split-inside-sync',
  'split-after-sync',
  'split-inside-length',
  'split-after-header',
  'split-inside-payload',
  'split-before-crc',
  'two-frames',
  'junk-before',
];

let server: CliServer | undefined;
let original: OriginalServer | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await original?.close();
  original = undefined;
  for (const close of closers.splice(0)) await close();
  await stopAllClis();
  await stopAllPtyPairs();
});

describe('msp --mode conform', () => {
  it('passes every case against our own server, and writes Markdown and HTML reports', async () => {
    server = await startCliServer(['--quiet']);
    const dir = mkdtempSync(join(tmpdir(), 'msp-conform-'));
    const run = await runCli(['--mode', 'conform', '--port', String(server.port), '--timeout', '1', '--json', '--report', join(dir, 'r.md')], 60_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = cases(run.stdout);
    expect(list).toHaveLength(21);
    expect(ids(list, 'failed')).toEqual([]);
    expect(summary(run.stdout)).toMatchObject({ passed: 21, failed: 0, not_applicable: 0, total: 21 });
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toContain('# MSP conformance report');
    expect(md).toContain('| passed | `split-inside-length` |');

    const html = await runCli(['--mode', 'conform', '--port', String(server.port), '--timeout', '1', '--report', join(dir, 'r.html')], 60_000);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^PASS valid-data/m);
    expect(html.stdout).toMatch(/21 passed, 0 failed \(of 21\)/);
    const page = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(page).toContain('<tr class="passed"><td>passed</td><td><code>two-frames</code>');
    // Text with quotes from the case list arrives escaped.
    expect(page).toContain('DATA &quot;Hello MSP&quot;');
  });

  it("names a server like the original msp.py's deviations (one packet per read, no reassembly), without hanging", async () => {
    original = await startOriginalServer();
    const started = Date.now();
    const run = await runCli(['--mode', 'conform', '--port', String(original.port), '--timeout', '0.5', '--json'], 60_000);
    expect(run.code).toBe(1);
    const list = cases(run.stdout);
    expect(ids(list, 'failed')).toEqual(ORIGINAL_DEVIATIONS);
    expect(summary(run.stdout)).toMatchObject({ passed: 10, failed: 11, total: 21 });
    const split = list.find((e) => e.id === 'split-after-sync')!;
    expect(split).toMatchObject({ expected: 'one ACK, once the second part arrived', got: 'no reply', received_hex: '' });
    expect(split.deviation).toMatch(/each read as exactly one packet, with no stream reassembly/);
    // Each write apart: the frame split after its SYNC.
    expect(split.sent_hex).toBe('AA 55 | 00 12 01 10 53 70 6C 69 74 20 66 72 61 6D 65 37');
    expect(list.find((e) => e.id === 'two-frames')!.deviation).toMatch(/Invalid length/);
    expect(list.find((e) => e.id === 'non-utf8')!.got).toMatch(/closed the connection/);
    expect(list.find((e) => e.id === 'payload-1024')!.deviation).toMatch(/1024-byte read/);
    // The double saw what the original would: a split frame's halves rejected one by one.
    expect(original.verdicts).toContain('Packet too short');
    expect(original.verdicts).toContain('Invalid length');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  // In-process (no CLI start-up) and with short waits: these two check bounds, not output.
  const quick: ConformSettings = { replyTimeoutMs: 200, quietMs: 100, splitGapMs: 20, connections: 5 };

  it('ends every case against a peer that never answers', async () => {
    const silent = await listenOn(() => {});
    closers.push(silent.close);
    const started = Date.now();
    const { results, summary } = await runConformance(tcpWire('127.0.0.1', silent.port, 1000), quick);
    expect(summary).toMatchObject({ passed: 0, failed: 21, total: 21 });
    expect(results[0]).toMatchObject({ id: 'valid-data', status: 'failed', got: 'no reply' });
    // Silence is the right answer to a bad CRC, but not to the DATA after it.
    expect(results.find((r) => r.id === 'bad-crc')?.got).toBe('to the first packet: no reply; to DATA "after": no reply');
    expect(results.at(-1)?.got).toMatch(/^0 of 5 connections ACKed/);
    // Every wait is bounded: 21 cases of a few 0.1-0.2 s waits.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(caseText(results[0])).toMatch(/got: {6}no reply/);
  });

  it('stays bounded against a peer that floods every connection with junk', async () => {
    const junk = Buffer.alloc(1 << 20, 0xaa);
    const flood = await listenOn((socket) => {
      socket.on('data', () => {});
      const pump = () => {
        while (!socket.destroyed && socket.write(junk));
      };
      socket.on('drain', pump);
      pump();
    });
    closers.push(flood.close);
    const { results } = await runConformance(tcpWire('127.0.0.1', flood.port, 1000), quick);
    const valid = results.find((r) => r.id === 'valid-data')!;
    expect(valid.status).toBe('failed');
    // At most 64 KiB kept per connection, and the report shows it cut, with its count.
    expect(valid.received.length).toBe(PROBE_MAX_BYTES);
    expect(caseJson(valid).received_hex).toMatch(/^AA AA AA .* … \(65536 bytes\)$/);
  });

  it('refuses bad flags in one line (exit 2), and a peer that is not there in one line (exit 1)', async () => {
    const noMode = await runCli(['--mode', 'conform', '--report', 'x.txt']);
    expect(noMode.code).toBe(2);
    expect(noMode.stderr).toMatch(/--report must name a .md or .html file/);
    const withPassword = await runCli(['--mode', 'conform', '--password', 'pw']);
    expect(withPassword.code).toBe(2);
    const reportElsewhere = await runCli(['--mode', 'client', '--message', 'x', '--report', 'x.md']);
    expect(reportElsewhere.code).toBe(2);
    const closed = await listenOn(() => {});
    const port = closed.port;
    await closed.close();
    const refused = await runCli(['--mode', 'conform', '--port', String(port)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^Error: Connection refused/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe(`msp --mode conform --serial (socat pty pair)${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('checks a serial responder: every case passes or does not apply', async () => {
    const pty = await startPtyPair();
    await startCli(['--mode', 'server', '--serial', pty.a, '--baud', '115200', '--quiet'], (e) => e.event === 'open');
    const run = await runCli(['--mode', 'conform', '--serial', pty.b, '--baud', '115200', '--max-packet', '2048', '--timeout', '1', '--json'], 90_000);
    const list = cases(run.stdout);
    expect(ids(list, 'failed'), run.stdout).toEqual([]);
    expect(ids(list, 'not-applicable')).toEqual(['payload-65528', 'many-connections']);
    expect(run.code).toBe(0);
  }, 90_000);
});
