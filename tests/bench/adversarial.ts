/**
 * Hostile input for the quiet server (issue 9): how fast it gets through bytes that are
 * not packets, over a real socket. Each run ends with a DATA whose ACK proves the server
 * has decoded everything before it; the time to that ACK is the figure.
 *
 * The server runs with --max-junk-bytes 0 (run.ts), so the whole flood goes down one
 * connection: the figure is the decoder's work on it, not connection set-up. A warm-up run
 * of each input goes first, untimed: the figure is the steady state of a running server.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { PacketType, encodePacket } from '../../shared/msp/index.ts';
import type { ServerProcess } from './server-process.ts';

export interface AdversarialFigure {
  input: string;
  bytes: number;
  seconds: number;
  /** Bytes per second of wall time, from the first write to the last ACK. */
  mbPerSec: number;
  /** Bytes per second of server CPU: what the server could take if the client were not the bottleneck. */
  mbPerServerCpuSec: number;
  /** Whether every DATA that followed the junk was ACKed. */
  acked: boolean;
}

const MIB = 1024 * 1024;
const DATA = encodePacket({ version: 1, type: PacketType.DATA, payload: new Uint8Array(16).fill(0x78) });
const ACK_SIZE = 9;
/** Each AA 55 FF FF near the end of a run claims 64 KiB more: this much filler settles every claim. */
const FILLER = Buffer.alloc(64 * 1024);

export function repeatedSyncFlood(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i + 4 <= bytes; i += 4) out.set([0xaa, 0x55, 0xff, 0xff], i);
  return out;
}

export async function adversarialFigures(server: ServerProcess, totalBytes = 10 * MIB, bytePerWriteMs = 3000): Promise<AdversarialFigure[]> {
  const figures: AdversarialFigure[] = [];
  // A long-running server has its decoder compiled and optimised: warm it up on the same
  // amount of each input first, not timed.
  await junkRuns(server.port, repeatedSyncFlood(totalBytes));
  await junkRuns(server.port, randomBytes(totalBytes));
  for (const [input, bytes] of [
    ['10 MB of AA 55 FF FF', repeatedSyncFlood(totalBytes)],
    ['10 MB of random bytes', randomBytes(totalBytes)],
  ] as const) {
    // Five runs of the same input, the median kept: one run is a fraction of a second, at the mercy of the scheduler.
    const runs: AdversarialFigure[] = [];
    for (let i = 0; i < 5; i++) runs.push(await measure(server, input, () => junkRuns(server.port, bytes)));
    runs.sort((a, b) => a.mbPerSec - b.mbPerSec);
    figures.push({ ...runs[2], input: `${input} (median of 5)` });
  }
  figures.push(await measure(server, 'DATA, one byte per write', () => bytePerWrite(server.port, bytePerWriteMs)));
  return figures;
}

async function measure(server: ServerProcess, input: string, run: () => Promise<{ bytes: number; acked: boolean }>): Promise<AdversarialFigure> {
  const cpuBefore = server.cpuSeconds();
  const start = performance.now();
  const { bytes, acked } = await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = Math.max(server.cpuSeconds() - cpuBefore, 0.01); // /proc ticks are 10 ms
  return {
    input,
    bytes,
    seconds: round(seconds, 3),
    mbPerSec: round(bytes / seconds / 1e6, 1),
    mbPerServerCpuSec: round(bytes / cpu / 1e6, 1),
    acked,
  };
}

/** Sends `bytes` down one connection in 64 KiB writes, then filler and a DATA, and waits for its ACK. */
async function junkRuns(port: number, bytes: Buffer): Promise<{ bytes: number; acked: boolean }> {
  let sent = 0;
  const socket = await open(port);
  const received = readUntilAck(socket);
  for (let at = 0; at < bytes.length; at += 64 * 1024) {
    if (!socket.write(bytes.subarray(at, at + 64 * 1024))) await once(socket, 'drain');
    sent += Math.min(64 * 1024, bytes.length - at);
  }
  for (const part of [FILLER, DATA]) {
    if (!socket.write(part)) await once(socket, 'drain');
    sent += part.length;
  }
  const acked = await received;
  socket.destroy();
  return { bytes: sent, acked };
}

/** Whether our DATA's ACK came: the replies end with it (random bytes may hold bogus packets that get answers too). */
function readUntilAck(socket: Socket): Promise<boolean> {
  const ack = Buffer.from('aa55000901114f4b9a', 'hex');
  return new Promise((resolve) => {
    let tail = Buffer.alloc(0);
    const timer = setTimeout(() => resolve(false), 60_000);
    socket.on('data', (d: Buffer) => {
      tail = Buffer.concat([tail, d]).subarray(-64);
      if (tail.subarray(-ack.length).equals(ack)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    socket.once('close', () => resolve(false));
  });
}

/** Valid DATA split one byte per write (TCP_NODELAY, so a segment each) for about `ms`, then all their ACKs. */
async function bytePerWrite(port: number, ms: number): Promise<{ bytes: number; acked: boolean }> {
  const socket = await open(port);
  let packets = 0;
  let ackBytes = 0;
  socket.on('data', (d: Buffer) => (ackBytes += d.length));
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    for (let i = 0; i < DATA.length; i++) {
      if (!socket.write(DATA.subarray(i, i + 1))) await once(socket, 'drain');
    }
    packets++;
    if (packets % 32 === 0) await new Promise((r) => setImmediate(r)); // let the ACKs in
  }
  const until = performance.now() + 10_000;
  while (ackBytes < packets * ACK_SIZE && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
  socket.destroy();
  return { bytes: packets * DATA.length, acked: ackBytes === packets * ACK_SIZE };
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await once(socket, 'connect');
  return socket;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
