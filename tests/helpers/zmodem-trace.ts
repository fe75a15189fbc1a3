/**
 * A timeline of a ZMODEM session on the line simulator, for finding where time goes: every
 * byte each end writes is put on a model of the wire (paced as LineDirection paces it), and
 * the frames are decoded with our own reader, so each header and subpacket end gets the time
 * its last byte left the wire, and every stretch the wire stood idle is listed with what it
 * was waiting for. `npm run bench:modem -- --trace` prints it for each transfer.
 */
import type { Duplex } from 'node:stream';
import { ZFrame, ZmodemReader, ZCRCE, ZCRCG, ZCRCQ, ZCRCW, headerPosition } from '../../shared/modem/zmodem.ts';

const FRAME_NAMES = new Map<number, string>(Object.entries(ZFrame).map(([name, type]) => [type, name]));
const END_NAMES = new Map<number, string>([
  [ZCRCE, 'ZCRCE'],
  [ZCRCG, 'ZCRCG'],
  [ZCRCQ, 'ZCRCQ'],
  [ZCRCW, 'ZCRCW'],
]);

const HEX_HEADER_TAIL = new Set([0x0d, 0x8d, 0x0a, 0x8a, 0x11]);

interface Entry {
  /** ms since the trace started: when the byte that completed it left the wire. */
  at: number;
  /** When its first byte left the wire (for a header: how soon it answered what came before). */
  from: number;
  what: string;
  header: boolean;
}

/** One way of the wire: arrival times of what an end wrote, turned into wire times and frames. */
class WireTrace {
  readonly entries: Entry[] = [];
  /** Stretches the wire stood idle after it had started: [from, to] in ms. */
  readonly idle: [number, number][] = [];
  bytes = 0;
  private clock = -1;
  private readonly reader: ZmodemReader;
  private byteAt = 0;
  /** When the first byte after the last event left. */
  private itemFrom = -1;
  private dataBytes = 0;
  private subpackets = 0;
  private readonly ends = new Map<string, number>();

  constructor(
    private readonly bytesPerMs: number,
    private readonly t0: () => number,
  ) {
    this.reader = new ZmodemReader((event) => {
      if (event.kind === 'header') {
        this.flushData();
        const name = FRAME_NAMES.get(event.type) ?? `type ${event.type}`;
        this.entries.push({ at: this.byteAt, from: this.itemFrom, what: `${name} ${event.encoding} ${headerPosition(event.p)}`, header: true });
        this.itemFrom = -1;
      } else if (event.kind === 'data') {
        this.dataBytes += event.data.length;
        this.subpackets++;
        const end = END_NAMES.get(event.end) ?? String(event.end);
        this.ends.set(end, (this.ends.get(end) ?? 0) + 1);
        // Subpackets that make a peer answer or end a frame are worth a line of their own.
        if (event.end !== ZCRCG) this.flushData(`, last ${end}`);
      } else this.entries.push({ at: this.byteAt, from: this.byteAt, what: event.kind === 'error' ? `bad ${event.what}` : 'cancel', header: false });
      if (event.kind !== 'header') this.itemFrom = -1;
    });
  }

  /** Bytes an end wrote, arriving at the wire now. */
  add(chunk: Buffer): void {
    const now = performance.now() - this.t0();
    if (this.clock >= 0 && now > this.clock + 0.5) this.idle.push([this.clock, now]);
    this.clock = Math.max(this.clock, now);
    for (let i = 0; i < chunk.length; i++) {
      this.clock += 1 / this.bytesPerMs;
      this.byteAt = this.clock;
      // "rz\r" or a header's ZPAD start an item; the CR, LF and XON that end a hex header do not.
      if (this.itemFrom < 0 && !HEX_HEADER_TAIL.has(chunk[i]!)) this.itemFrom = this.clock - 1 / this.bytesPerMs;
      this.reader.feed(chunk.subarray(i, i + 1));
    }
    this.bytes += chunk.length;
  }

  finish(): void {
    this.flushData();
  }

  /** Subpackets so far as one line. */
  private flushData(tail = ''): void {
    if (this.subpackets === 0) return;
    const ends = [...this.ends].map(([e, n]) => `${n} ${e}`).join(', ');
    this.entries.push({ at: this.byteAt, from: this.byteAt, what: `  ${this.subpackets} subpackets, ${this.dataBytes} B (${ends})${tail}`, header: false });
    this.subpackets = 0;
    this.dataBytes = 0;
    this.ends.clear();
  }
}

export interface ZmodemTrace {
  /** The timeline, both directions merged, with the idle stretches of the sender's way. */
  report(): string;
}

/** Starts tracing what the two ends write (`a` the sender's side of the simulator, `b` the receiver's). */
export function traceZmodem(a: Duplex, b: Duplex, bytesPerSecond: number, latencyMs: number): ZmodemTrace {
  let t0 = -1;
  const start = () => (t0 < 0 ? (t0 = performance.now()) : t0);
  const zero = () => t0;
  const sent = new WireTrace(bytesPerSecond / 1000, zero);
  const back = new WireTrace(bytesPerSecond / 1000, zero);
  a.on('data', (chunk: Buffer) => {
    start();
    sent.add(chunk);
  });
  b.on('data', (chunk: Buffer) => {
    if (t0 < 0) return; // the receiver's greeting before the sender started: not part of the timing
    back.add(chunk);
  });
  return {
    report() {
      sent.finish();
      back.finish();
      // A header that started after the other side's last item arrived answered it: how soon.
      const answered = (e: Entry, other: Entry[]) => {
        if (!e.header) return '';
        const cause = other.filter((o) => o.at + latencyMs <= e.from).at(-1);
        if (!cause || (e.from - cause.at - latencyMs) > 1000) return '';
        return `  (${(e.from - cause.at - latencyMs).toFixed(1)} ms after ${cause.header ? cause.what.split(' ')[0] : 'its data'} arrived)`;
      };
      const lines = [
        ...sent.entries.map((e) => ({ at: e.at, text: `  -> ${e.what}${answered(e, back.entries)}` })),
        ...back.entries.map((e) => ({ at: e.at, text: `  <-             ${e.what}${answered(e, sent.entries)}` })),
        ...sent.idle.map(([from, to]) => ({ at: from, text: `  .. wire to the receiver idle ${(to - from).toFixed(1)} ms (until ${to.toFixed(1)})` })),
      ].sort((x, y) => x.at - y.at);
      const idleMs = sent.idle.reduce((sum, [from, to]) => sum + to - from, 0);
      return [
        `    trace (ms from the sender's first byte at ${(performance.timeOrigin + t0).toFixed(2)}, when the last byte of each item left the wire; arrival is ${latencyMs} ms later):`,
        ...lines.map((l) => `    ${l.at.toFixed(1).padStart(9)} ${l.text}`),
        `    sender's way: ${sent.bytes} B, idle ${idleMs.toFixed(1)} ms in ${sent.idle.length} stretches; back: ${back.bytes} B`,
      ].join('\n');
    },
  };
}
