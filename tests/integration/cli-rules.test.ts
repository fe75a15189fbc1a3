/**
 * `--rules`, `--impair` and `--seed` through the real CLI, and hostile rules files: huge,
 * deeply nested, evil regexes. A bad file is refused at start (exit 2) with the field named;
 * an evil regex that is allowed runs in linear time and cannot stall the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/automation/prng.ts';
import { MspDecoder, PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { parseCommandLine } from '../../electron/cli/args.ts';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { connectTo, readUntil } from '../helpers/net.ts';

const dir = mkdtempSync(join(tmpdir(), 'msp-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(content: string): string {
  const path = join(dir, `rules-${++fileNo}.json`);
  writeFileSync(path, content);
  return path;
}
const rulesFile = (...rules: unknown[]) => file(JSON.stringify({ version: 1, rules }));

/** What the flags parser refuses (the CLI prints it and exits 2: checked once through the real CLI below). */
function refusal(args: string[]): string {
  try {
    parseCommandLine(args, {});
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

async function withServer<T>(args: string[], body: (server: CliServer) => Promise<T>): Promise<T> {
  const server = await startCliServer(args);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

describe('msp --rules', () => {
  it('a server answers by its rules: the client prints the reply, the server says which rule fired', async () => {
    const rules = rulesFile({ name: 'temp', match: { kind: 'regex', pattern: 'T=(\\d+)' }, action: { kind: 'reply', template: 'temperature {1} (#{counter})' } });
    await withServer(['--rules', rules], async (server) => {
      const client = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'T=21', '--repeat', '2', '--json']);
      expect(client.code).toBe(0);
      expect(client.stdout).toContain('"text":"temperature 21 (#1)"');
      await server.waitFor((events) => events.filter((e) => e.event === 'rule').length === 2);
      expect(server.events.find((e) => e.event === 'rule')).toMatchObject({ rule: 0, name: 'temp', action: 'reply', count: 1 });
      expect(server.events.find((e) => e.event === 'rules')).toMatchObject({ rules: 1 });
    });
  });

  it('a client takes --rules too (its rules at work: responder-rules.test.ts)', async () => {
    const rules = rulesFile({ match: { kind: 'any' }, action: { kind: 'drop-ack' } });
    await withServer([], async (server) => {
      const client = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'hi', '--rules', rules]);
      expect(client.stderr).toBe('');
      expect(client.code).toBe(0);
      expect(client.stdout).toContain('Auto-responder: 1 rule');
    });
  });

  it('a pattern the linear engine cannot run is refused at start, not at the first packet', () => {
    expect(refusal(['--mode', 'server', '--rules', rulesFile({ match: { kind: 'regex', pattern: '(.*a){20}$' }, action: { kind: 'close' } })])).toMatch(
      /rules\[0\]\.match\.pattern: .*cannot be matched in linear time/,
    );
  });

  it('a bad rules file is refused at start with the field named, exit 2', async () => {
    const cases: Array<[string, RegExp]> = [
      [rulesFile({ match: { kind: 'any' }, action: { kind: 'split-ack', parts: 99 } }), /rules\[0\]\.action\.parts: /],
      [rulesFile({ match: { kind: 'regex', pattern: '(a)\\1' }, action: { kind: 'close' } }), /rules\[0\]\.match\.pattern: backreferences/],
      [rulesFile({ match: { kind: 'regex', pattern: '(?=a)' }, action: { kind: 'close' } }), /rules\[0\]\.match\.pattern: lookahead/],
      [rulesFile({ match: { kind: 'regex', pattern: 'a{1,100000}' }, action: { kind: 'close' } }), /rules\[0\]\.match\.pattern: a repeat count over 100/],
      [rulesFile({ match: { kind: 'hex', pattern: 'AA ZZ' }, action: { kind: 'close' } }), /rules\[0\]\.match\.pattern: not hex/],
      [rulesFile({ match: { kind: 'any' }, action: { kind: 'reply', template: 'x {nope}' } }), /rules\[0\]\.action\.template: unknown placeholder/],
      [rulesFile({ match: { kind: 'any' }, action: { kind: 'close' }, extra: true }), /rules\[0\]: Unrecognized key: "extra"/],
      [file('{"rules": ['), /not valid JSON/],
      [join(dir, 'missing.json'), /no such file/],
    ];
    for (const [path, expected] of cases) expect(refusal(['--mode', 'server', '--port', '0', '--rules', path])).toMatch(expected);
    const run = await runCli(['--mode', 'server', '--port', '0', '--rules', cases[0][0]]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^msp: --rules .*rules\[0\]\.action\.parts: /);
  });

  it('hostile files: too large, too deep, too many rules are refused quickly', async () => {
    const huge = file(JSON.stringify({ rules: [] }).padEnd(300 * 1024, ' '));
    const deep = file('{"rules":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}');
    const many = rulesFile(...Array.from({ length: 201 }, () => ({ match: { kind: 'any' }, action: { kind: 'close' } })));
    const started = Date.now();
    for (const [path, expected] of [
      [huge, /larger than 256 KiB/],
      [deep, /larger than 256 KiB/],
      [file('{"rules":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'), /rules\[0\]|not valid JSON/],
      [many, /rules: at most 200 rules/],
    ] as const) {
      expect(refusal(['--mode', 'server', '--port', '0', '--rules', path])).toMatch(expected);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('evil regexes run in linear time: 200 of them against a 60 KB payload still ACK at once', async () => {
    const evil = ['(a+)+$', '(a|aa)+$', '\\w+\\w+\\w+\\w+x', '(.*a){5}$', '(x+x+)+y'];
    const rules = rulesFile(...Array.from({ length: 200 }, (_, i) => ({ match: { kind: 'regex', pattern: evil[i % evil.length] }, action: { kind: 'reply', template: 'matched' } })));
    await withServer(['--rules', rules, '--quiet'], async (server) => {
      const socket = await connectTo(server.port);
      try {
        const payload = utf8Encode('a'.repeat(60_000) + '!');
        const started = performance.now();
        socket.write(encodePacket({ version: 1, type: PacketType.DATA, payload }));
        const got = await readUntil(socket, (bytes) => bytes.length >= 9);
        const ms = performance.now() - started;
        const [first] = new MspDecoder().push(got);
        expect(first.kind === 'packet' && first.packet.type).toBe(PacketType.ACK);
        // A backtracking engine would take hours on the first pattern alone; bounded, the 200 take milliseconds.
        expect(ms).toBeLessThan(5_000);
        process.stdout.write(`200 evil regex rules against a 60 KB payload: ACK after ${ms.toFixed(1)} ms\n`);
      } finally {
        socket.destroy();
      }
    });
  });
});

describe('msp --impair', () => {
  it('prints the impairment and its seed; the seed decides exactly which ACKs are dropped', async () => {
    // With only drop set, the impairment rolls once per packet: the first 40 rolls of seed 7 say which ACKs survive.
    const random = seededRandom(7);
    const expected = Array.from({ length: 40 }, random).filter((roll) => roll >= 0.5).length;
    await withServer(['--impair', 'drop=50%', '--seed', '7', '--quiet'], async (server) => {
      expect(server.events.find((e) => e.event === 'impairment')).toEqual({ event: 'impairment', impair: 'drop=50%', seed: 7 });
      const socket = await connectTo(server.port);
      try {
        const data = encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('x') });
        socket.write(Buffer.concat(Array.from({ length: 40 }, () => data)));
        const got = await readUntil(socket, (bytes) => bytes.length >= expected * 9);
        expect(got.length).toBe(expected * 9);
      } finally {
        socket.destroy();
      }
    });
  });

  it('bad specs are refused at start, exit 2', async () => {
    for (const [args, expected] of [
      [['--mode', 'server', '--impair', 'drop=5'], /--impair: drop=5: must be a percentage/],
      [['--mode', 'server', '--impair', 'wobble=1%'], /unknown setting "wobble"/],
      [['--mode', 'server', '--seed', '5'], /--seed goes with --impair/],
      [['--mode', 'client', '--message', 'x', '--impair', 'drop=1%'], /--impair is for --mode server or bridge/],
      [['--mode', 'server', '--impair', join(dir, 'nope.json')], /no such file/],
      [['--mode', 'server', '--impair', file('{"drop": "x"}')], /drop=x: must be a percentage/],
    ] as const) {
      expect(refusal([...args])).toMatch(expected);
    }
  });
});
