/**
 * What captures cost: writing a pcapng of N DATA/ACK exchanges (our export), reading it back
 * into log rows (reader, TCP reassembly, MSP decoder, ACK pairing), and reading a tcpdump-style
 * pcap whose segments arrive out of order. One thread; figures are MB of capture per second.
 *
 *   node --import tsx tests/bench/capture.ts [exchanges]      (also part of npm run bench)
 */
import { loadavg } from 'node:os';
import { CaptureBuilder } from '../../shared/capture/capture-builder.ts';
import { parseEndpoint } from '../../shared/capture/endpoint.ts';
import { importCapture } from '../../shared/capture/import-capture.ts';
import { LinkType } from '../../shared/capture/link-types.ts';
import { SyntheticTcp } from '../../shared/capture/synthetic-tcp.ts';
import { encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { pcapFile } from '../helpers/pcap-build.ts';

export interface CaptureFigure {
  what: string;
  bytes: number;
  rows: number;
  ms: number;
}

const data = encodePacket({ version: 1, type: 0x10, payload: utf8Encode('Hello MSP, a sixteen-byte-ish payload') });
const ack = encodePacket({ version: 1, type: 0x11, payload: utf8Encode('OK') });

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

export function captureFigures(exchanges: number): CaptureFigure[] {
  const figures: CaptureFigure[] = [];
  const written = timed(() => {
    const blocks: Uint8Array[] = [];
    const builder = new CaptureBuilder((b) => blocks.push(b));
    const link = builder.tcp(parseEndpoint('127.0.0.1:50000')!, parseEndpoint('127.0.0.1:9009')!, true, 1e15);
    for (let i = 0; i < exchanges; i++) {
      link.bytes('out', data, 1e15 + i * 10);
      link.bytes('in', ack, 1e15 + i * 10 + 5);
    }
    return Buffer.concat(blocks);
  });
  figures.push({ what: 'write pcapng (our export)', bytes: written.value.length, rows: exchanges * 2, ms: written.ms });
  let rows = 0;
  const read = timed(() => importCapture(written.value, () => rows++));
  figures.push({ what: 'import pcapng to log rows (+ ACK pairing)', bytes: written.value.length, rows, ms: read.ms });

  // A tcpdump-like pcap with every pair of client segments swapped.
  const tcp = new SyntheticTcp(parseEndpoint('10.0.0.1:40000')!, parseEndpoint('10.0.0.2:9009')!);
  const frames = tcp.handshake().map((h) => h.frame);
  for (let i = 0; i < exchanges; i += 2) {
    const a = tcp.data('client', data)[0];
    const b = tcp.data('client', data)[0];
    frames.push(b, a, ...tcp.data('server', ack), ...tcp.data('server', ack));
  }
  const pcap = pcapFile(LinkType.ETHERNET, frames.map((f, i) => ({ timestampUs: 1e15 + i, data: f })));
  rows = 0;
  const reordered = timed(() => importCapture(pcap, () => rows++));
  figures.push({ what: 'import pcap, segments out of order', bytes: pcap.length, rows, ms: reordered.ms });
  return figures;
}

export const formatCaptureFigure = (f: CaptureFigure): string =>
  `  ${f.what.padEnd(44)} ${(f.bytes / 1e6).toFixed(1).padStart(6)} MB ${String(f.rows).padStart(8)} rows ${f.ms.toFixed(0).padStart(6)} ms  ${(f.bytes / 1e3 / f.ms).toFixed(1).padStart(6)} MB/s`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const exchanges = Number(process.argv[2] ?? 100_000);
  console.log(`Captures, ${exchanges} DATA/ACK exchanges, Node ${process.version}, one thread, load average ${loadavg()[0].toFixed(1)}:`);
  for (const f of captureFigures(exchanges)) console.log(formatCaptureFigure(f));
}
