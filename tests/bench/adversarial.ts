/**
 * Hostile input for the quiet server (issue 9): how fast it gets through bytes that are
 * not packets, over a real socket. Each run ends with a DATA whose ACK proves the server
 * has decoded everything before it; the time to that ACK is the figure.
 *
 * A server may close a connection that sends too much junk (a junk budget of a few MiB):
 * so the junk goes out on a fresh connection per MiB, and no budget flag is needed.
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
  for (const [input, bytes] of [
    ['10 MB of AA 55 FF FF', repeatedSyncFlood(totalBytes)],
    ['10 MB of random bytes', randomBytes(totalBytes)],
  ] as const) {
    figures.push(await measure(server, input, () => junkRuns(server.port, bytes)));
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

/** Sends `bytes` a MiB per connection, each MiB followed by filler and a DATA, and waits for each ACK. */
async function junkRuns(port: number, bytes: Buffer): Promise<{ bytes: number; acked: boolean }> {
  let sent = 0;
  let acked = true;
  for (let at = 0; at < bytes.length; at += MIB) {
    const socket = await open(port);
    const received = readBytes(socket, ACK_SIZE);
    for (const part of [bytes.subarray(at, at + MIB), FILLER, DATA]) {
      if (!socket.write(part)) await once(socket, 'drain');
      sent += part.length;
    }
    // Random bytes may hold a bogus packet of a type that is ACKed: only the last ACK is ours.
    acked &&= (await received).length >= ACK_SIZE;
    socket.destroy();
  }
  return { bytes: sent, acked };
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

/** Resolves with what arrived once at least `n` bytes did, or the connection ended, or 60 s passed. */
function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts));
    };
    const timer = setTimeout(done, 60_000);
    socket.on('data', (d: Buffer) => {
      parts.push(d);
      size += d.length;
      if (size >= n) done();
    });
    socket.once('close', done);
  });
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
