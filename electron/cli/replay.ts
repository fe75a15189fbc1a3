/**
 * `msp --mode replay --read FILE --host H --port P [--as-fast-as-possible]`: sends the client
 * side of each MSP stream in a recording to a server again, on its own connection, at the
 * recorded pace (or each message as soon as the replies recorded before it have come back),
 * then compares the server's replies with the recorded ones. Exit 0: the same; 1: differences
 * (listed) or no connection; 2: bad input. Plain sessions only: a secure session's packets
 * are sealed with fresh keys each time, so they can never match.
 */
import { connect, type Socket } from 'node:net';
import type { LogEntry } from '../../shared/ipc/types.ts';
import { MspDecoder, HEADER_SIZE, packetTypeName, toHex, utf8DecodeStrict, type DecodeEvent } from '../../shared/msp/index.ts';
import { compareReplies, replayPlan, type ReplayStream } from '../../shared/capture/replay-plan.ts';
import type { ReplayConfig } from './capture-args.ts';
import type { Printer } from './output.ts';
import { readCaptureFile } from './read-capture.ts';

export async function runReplay(config: ReplayConfig, print: Printer): Promise<number> {
  const bytes = readCaptureFile(config.file);
  if (!bytes.ok) {
    print.error(`Error: ${bytes.error.message}`);
    return 2;
  }
  const plan = replayPlan(bytes.value);
  if (!plan.ok) {
    print.error(`Error: ${config.file}: ${plan.error.message}`);
    return 2;
  }
  if (plan.value.length === 0) {
    print.error(`Error: ${config.file} has no MSP conversation over TCP to replay.`);
    return 2;
  }
  let differences = 0;
  for (const stream of plan.value) {
    const outcome = await replayStream(stream, config, print);
    if (outcome === 'failed') return 1;
    differences += outcome;
  }
  print.event('replayed', { streams: plan.value.length, differences }, differences === 0 ? 'Replies as recorded: no differences.' : `${differences} differences.`);
  return differences === 0 ? 0 : 1;
}

async function replayStream(stream: ReplayStream, config: ReplayConfig, print: Printer): Promise<number | 'failed'> {
  const where = `${config.host}:${config.port}`;
  const socket = await open(config.host, config.port, config.timeoutMs);
  if (typeof socket === 'string') {
    print.error(`Error: cannot connect to ${where}: ${socket}`);
    return 'failed';
  }
  const got: LogEntry[] = [];
  const decoder = new MspDecoder();
  let changed: () => void = () => {};
  let closed = false;
  const toRow = (event: DecodeEvent) => {
    const row = rowOf(event, where);
    if (row) got.push(row);
  };
  socket.on('data', (chunk: Buffer) => {
    decoder.push(chunk).forEach(toRow);
    changed();
  });
  socket.on('close', () => {
    closed = true;
    decoder.flush().forEach(toRow);
    changed();
  });
  socket.on('error', () => {}); // the close that follows is what counts
  /** Resolves once `test` holds, the socket closes, or the timeout passes. */
  const until = (test: () => boolean) =>
    new Promise<void>((resolve) => {
      if (test() || closed) return resolve();
      const timer = setTimeout(done, config.timeoutMs);
      function done() {
        clearTimeout(timer);
        changed = () => {};
        resolve();
      }
      changed = () => {
        if (test() || closed) done();
      };
    });

  const expected = stream.steps.filter((s) => s.from === 'server').map((s) => s.entry);
  const sends = stream.steps.filter((s) => s.from === 'client');
  const started = performance.now();
  const firstAt = stream.steps[0]?.entry.at ?? 0;
  let repliesBefore = 0;
  for (const step of stream.steps) {
    if (step.from === 'server') {
      repliesBefore++;
      continue;
    }
    // The replies recorded before this message come back first (or the wait times out).
    const needed = repliesBefore;
    await until(() => got.length >= needed);
    if (!config.asFastAsPossible) {
      const due = started + (step.entry.at - firstAt);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    if (closed) break;
    socket.write(step.entry.raw);
  }
  await until(() => got.length >= expected.length);
  // Then our side ends, and whatever else the server says before it closes counts too.
  socket.end();
  await until(() => false);
  socket.destroy();

  const differences = compareReplies(expected, got);
  const notes = stream.partial ? ` (${stream.partial} client rows were only partly in the capture and were sent as far as they went)` : '';
  print.event(
    'stream',
    { name: stream.name, sent: sends.length, expected: expected.length, got: got.length, differences: differences.length },
    `${stream.name}: sent ${sends.length} messages, ${got.length} replies (${expected.length} recorded), ${differences.length} differences${notes}`,
  );
  for (const d of differences) {
    print.event(
      'difference',
      { stream: stream.name, reply: d.reply, expected: d.expected ? toHex(d.expected.raw, '') : null, got: d.got ? toHex(d.got.raw, '') : null },
      `  reply ${d.reply}: expected ${d.expected ? describe(d.expected) : 'nothing'}, got ${d.got ? describe(d.got) : 'nothing'}`,
    );
  }
  return differences.length;
}

function open(host: string, port: number, timeoutMs: number): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timed out');
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNREFUSED' ? 'refused (is the server running?)' : error.message);
    });
  });
}

function rowOf(event: DecodeEvent, peer: string): LogEntry | undefined {
  const base = { id: 0, at: Date.now(), dir: 'in' as const, peer };
  if (event.kind === 'packet') return { ...base, kind: 'packet', raw: event.raw.slice() };
  if (event.kind === 'error') return { ...base, kind: 'bad-frame', raw: event.raw, length: event.length };
  if (event.kind === 'skipped') return { ...base, kind: 'junk', raw: event.raw, length: event.length };
  return undefined;
}

function describe(entry: LogEntry): string {
  if (entry.kind !== 'packet') return `${entry.kind} of ${entry.length ?? entry.raw.length} bytes (${toHex(entry.raw)})`;
  const text = utf8DecodeStrict(entry.raw.subarray(HEADER_SIZE, entry.raw.length - 1));
  return `${packetTypeName(entry.raw[5])} ${text !== undefined ? JSON.stringify(text) : ''} (${toHex(entry.raw)})`.replace('  ', ' ');
}
