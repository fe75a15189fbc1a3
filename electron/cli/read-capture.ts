/**
 * `msp --read FILE [--json]`: the MSP in a .pcap or .pcapng (tcpdump, Wireshark, our own
 * --capture and the app's export), one line per packet as the log shows it, each DATA's ACK,
 * then the streams found (MSP or not). A damaged file is one clear line and exit 1.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { MAX_CAPTURE_FILE_BYTES, importCapture, type StreamSummary } from '../../shared/capture/import-capture.ts';
import type { CaptureError } from '../../shared/errors/capture.ts';
import type { LogEntry, TrafficEvent } from '../../shared/ipc/types.ts';
import { HEADER_SIZE, packetTypeName, toHex, utf8DecodeStrict } from '../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { ReadConfig } from './capture-args.ts';
import type { Printer } from './output.ts';

export function runReadCapture(config: ReadConfig, print: Printer): number {
  // `msp --read big.pcap | head`: a reader that stops early ends us quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const bytes = readCaptureFile(config.file);
  if (!bytes.ok) {
    print.error(`Error: ${bytes.error.message}`);
    return 1;
  }
  const result = importCapture(bytes.value, (event) => printEvent(event, print));
  if (!result.ok) {
    print.error(`Error: ${config.file}: ${result.error.message}`);
    return 1;
  }
  const summary = result.value;
  for (const stream of summary.streams) printStream(stream, print);
  print.event(
    'summary',
    { frames: summary.frames, other_frames: summary.otherFrames, untracked_frames: summary.untrackedFrames, streams: summary.streams.length },
    `${summary.frames} frames, ${summary.streams.length} streams (${summary.streams.filter((s) => s.verdict === 'msp').length} MSP)` +
      (summary.otherFrames ? `, ${summary.otherFrames} frames not TCP` : '') +
      (summary.untrackedFrames ? `, ${summary.untrackedFrames} frames of streams beyond the limit, not read` : ''),
  );
  return 0;
}

/** The whole file, after checking its size (a capture is read at once, and bounded). */
export function readCaptureFile(path: string): Result<Uint8Array, CaptureError> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    return fail({ code: 'CAPTURE_ERR_FILE', message: `Cannot read ${path}: ${why}.` });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return fail({ code: 'CAPTURE_ERR_FILE', message: `${path} is not a file.` });
    if (stat.size > MAX_CAPTURE_FILE_BYTES) {
      return fail({
        code: 'CAPTURE_ERR_TOO_LARGE',
        message: `${path} is ${stat.size} bytes; at most ${MAX_CAPTURE_FILE_BYTES} are read at once (cut it with editcap or a capture filter).`,
      });
    }
    const bytes = new Uint8Array(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return ok(bytes.subarray(0, at));
  } finally {
    closeSync(fd);
  }
}

const time = (at: number): string => {
  const date = new Date(Math.floor(at));
  const micros = String(Math.round((at - Math.floor(at)) * 1000)).padStart(3, '0');
  return `${date.toISOString().slice(11, 23)}${micros}`;
};

function printEvent(event: TrafficEvent, print: Printer): void {
  if (event.kind === 'ack') {
    print.event('ack', { data: event.dataId, ack: event.ackId, rtt_ms: event.rttMs }, `    #${event.ackId} acknowledges #${event.dataId} after ${event.rttMs.toFixed(3)} ms`);
    return;
  }
  if (event.kind !== 'entry') return;
  const e = event.entry;
  const common = { id: e.id, at: e.at, dir: e.dir, peer: e.peer };
  const head = `#${e.id} ${time(e.at)} ${e.dir === 'out' ? '->' : '<-'} [${e.peer}]`;
  switch (e.kind) {
    case 'packet': {
      const { fields, shown } = describeEntry(e);
      print.event('packet', { ...common, ...fields, raw: toHex(e.raw, '') }, `${head} ${fields.type} v${fields.version} ${shown}`);
      return;
    }
    case 'bad-frame':
      print.event(
        'bad-frame',
        { ...common, code: e.error?.code, message: e.error?.message, length: e.length, raw: toHex(e.raw, '') },
        `${head} ${e.error?.message ?? 'bad frame'} (${e.length} bytes: ${toHex(e.raw)}${(e.length ?? 0) > e.raw.length ? ' …' : ''})`,
      );
      return;
    case 'junk':
      print.event('skipped', { ...common, length: e.length, raw: toHex(e.raw, '') }, `${head} skipped ${e.length} bytes that are not MSP frames`);
      return;
    case 'suppressed':
      print.event('suppressed', { ...common, ...e.suppressed }, `${head} ${e.suppressed?.frames} more bad frames and ${e.suppressed?.bytes} bytes, not shown one by one`);
      return;
    case 'raw':
      return;
  }
}

function describeEntry(e: LogEntry): { fields: { type: string; version: number; length: number; text?: string; hex?: string }; shown: string } {
  const payload = e.raw.subarray(HEADER_SIZE, e.raw.length - 1);
  const text = utf8DecodeStrict(payload);
  const fields = {
    type: packetTypeName(e.raw[5]),
    version: e.raw[4],
    length: e.raw.length,
    ...(text !== undefined ? { text } : { hex: toHex(payload, '') }),
  };
  return { fields, shown: text !== undefined ? JSON.stringify(text) : `hex ${toHex(payload)}` };
}

function printStream(s: StreamSummary, print: Printer): void {
  const verdict = s.verdict === 'msp' ? `MSP, ${s.packets} packets` : s.verdict === 'other' ? 'not MSP, skipped' : 'no data';
  const extra = [
    s.retransmittedBytes ? `${s.retransmittedBytes} bytes retransmitted` : '',
    s.outOfOrderSegments ? `${s.outOfOrderSegments} segments out of order` : '',
    s.lostBytes ? `${s.lostBytes} bytes missing from the capture` : '',
  ].filter(Boolean);
  print.event(
    'stream',
    {
      kind: s.kind,
      name: s.name,
      verdict: s.verdict,
      packets: s.packets,
      bytes: s.bytes,
      retransmitted_bytes: s.retransmittedBytes,
      out_of_order_segments: s.outOfOrderSegments,
      lost_bytes: s.lostBytes,
    },
    `stream ${s.name}: ${verdict} (${s.bytes[0]} + ${s.bytes[1]} bytes${extra.length ? '; ' + extra.join(', ') : ''})`,
  );
}
