/**
 * One load-generator thread: a share of the connections, each keeping `window` DATA in
 * flight (a new DATA for every ACK, sent per read in one write), checking every ACK byte
 * and timing each ACK against its DATA. It reads through `onread` into one reused buffer
 * so the generator stays cheaper per ACK than the server it measures.
 */
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { PacketType, encodePacket } from '../../shared/msp/index.ts';
import { LatencyHistogram } from './histogram.ts';

export interface LoadJob {
  host: string;
  port: number;
  conns: number;
  window: number;
  payloadBytes: number;
  warmupMs: number;
  durationMs: number;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; acks: number; badBytes: number; unexpectedAcks: number; stalled: number; errors: string[]; counts: Uint32Array; maxNs: number };

const ACK = [0xaa, 0x55, 0x00, 0x09, 0x01, 0x11, 0x4f, 0x4b, 0x9a];

interface Connection {
  socket: Socket;
  /** Send times (ms, performance.now) of the DATA in flight, oldest at `head`. */
  sentAt: Float64Array;
  head: number;
  inFlight: number;
  /** How many bytes of the current ACK matched so far. */
  matched: number;
  measuredAcks: number;
}

const job = workerData as LoadJob;
const port = parentPort!;
const histogram = new LatencyHistogram();
let measuring = false;
/** After the measured window: send nothing more, and close each connection once its ACKs are in. */
let stopping = false;
let acks = 0;
let badBytes = 0;
let unexpectedAcks = 0;
const errors: string[] = [];

const data = Buffer.from(encodePacket({ version: 1, type: PacketType.DATA, payload: new Uint8Array(job.payloadBytes).fill(0x78) }));
/** `n` DATA back to back, shared read-only by every connection (built once per n). */
const dataRuns: Buffer[] = [];
const dataRun = (n: number): Buffer => (dataRuns[n] ??= Buffer.concat(Array.from({ length: n }, () => data)));
const readBuffer = Buffer.allocUnsafe(1 << 16);

function onRead(c: Connection, length: number): void {
  const now = performance.now();
  let done = 0;
  for (let i = 0; i < length; i++) {
    if (readBuffer[i] !== ACK[c.matched]) {
      badBytes++;
      c.matched = readBuffer[i] === ACK[0] ? 1 : 0;
      continue;
    }
    if (++c.matched < ACK.length) continue;
    c.matched = 0;
    if (c.inFlight === 0) {
      unexpectedAcks++;
      continue;
    }
    const sent = c.sentAt[c.head];
    c.head = (c.head + 1) % job.window;
    c.inFlight--;
    done++;
    if (measuring) {
      acks++;
      c.measuredAcks++;
      histogram.record((now - sent) * 1e6);
    }
  }
  if (done > 0 && !stopping) send(c, done, now);
  if (stopping && c.inFlight === 0) c.socket.end();
}

function send(c: Connection, n: number, now: number): void {
  for (let i = 0; i < n; i++) c.sentAt[(c.head + c.inFlight + i) % job.window] = now;
  c.inFlight += n;
  c.socket.write(dataRun(n));
}

function open(): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const c = {} as Connection;
    const socket = connect({
      host: job.host,
      port: job.port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (length: number) => {
          onRead(c, length);
          return true; // keep reading
        },
      },
    });
    Object.assign(c, { socket, sentAt: new Float64Array(job.window), head: 0, inFlight: 0, matched: 0, measuredAcks: 0 });
    socket.once('connect', () => resolve(c));
    socket.on('error', (error) => {
      if (errors.length < 5) errors.push(error.message);
      reject(error);
    });
  });
}

async function main(): Promise<void> {
  let connections: Connection[];
  try {
    connections = await Promise.all(Array.from({ length: job.conns }, open));
  } catch (error) {
    port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies WorkerMessage);
    return;
  }
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
  await new Promise((resolve) => port.once('message', resolve)); // "go": every worker starts together
  const start = performance.now();
  for (const c of connections) send(c, job.window, start);
  await new Promise((resolve) => setTimeout(resolve, job.warmupMs));
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, job.durationMs));
  measuring = false;
  stopping = true;
  const stalled = connections.filter((c) => c.measuredAcks === 0).length;
  // A clean goodbye (no reset for the server to log): wait for the ACKs still in flight, briefly.
  await Promise.race([
    Promise.all(connections.map((c) => (c.socket.destroyed ? undefined : new Promise((resolve) => c.socket.once('close', resolve))))),
    new Promise((resolve) => setTimeout(resolve, 5000)),
  ]);
  for (const c of connections) c.socket.destroy();
  port.postMessage({
    kind: 'result',
    acks,
    badBytes,
    unexpectedAcks,
    stalled,
    errors,
    counts: histogram.counts,
    maxNs: histogram.maxNs,
  } satisfies WorkerMessage);
}

void main();
