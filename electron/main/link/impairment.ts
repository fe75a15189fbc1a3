/**
 * Impairment applied to what a session sends (shared/automation/impairment.ts says what each
 * setting means). One LinkImpairment serves every session of a link with one seeded random
 * sequence, so a run with the same --seed and the same traffic is impaired the same way, and
 * its counters say what was done. Each session writes through its own ImpairedWriter.
 */
import type { Impairment } from '../../../shared/automation/impairment.ts';
import { IMPAIRMENT_LIMITS } from '../../../shared/limits.ts';
import { seededRandom, type Random } from '../../../shared/automation/prng.ts';

export interface ImpairmentCounts {
  packets: number;
  dropped: number;
  corrupted: number;
  duplicated: number;
  split: number;
  reordered: number;
}

/** Pause between the two writes of a split packet: enough for them to arrive in separate reads. */
const SPLIT_GAP_MS = 2;

export class LinkImpairment {
  readonly counts: ImpairmentCounts = { packets: 0, dropped: 0, corrupted: 0, duplicated: 0, split: 0, reordered: 0 };
  readonly random: Random;

  constructor(
    readonly settings: Impairment,
    readonly seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** A writer for one session: whole packets in, impaired writes out to `sink`. */
  writer(sink: (bytes: Uint8Array) => void): ImpairedWriter {
    return new ImpairedWriter(this, sink);
  }
}

interface Departure {
  at: number;
  bytes: Uint8Array;
}

export class ImpairedWriter {
  /** Writes waiting for their time, in order (departure times never decrease). */
  private readonly queue: Departure[] = [];
  private lastDeparture = 0;
  private timer: NodeJS.Timeout | undefined;
  private held: { bytes: Uint8Array; timer: NodeJS.Timeout } | undefined;
  private stopped = false;
  /** Bytes held back (for the session's slow-reader limit). */
  queuedBytes = 0;

  constructor(
    private readonly link: LinkImpairment,
    private readonly sink: (bytes: Uint8Array) => void,
  ) {}

  /** One whole packet (or a raw write): dropped, bent, delayed or sent as the dice say. */
  write(packet: Uint8Array): void {
    if (this.stopped) return;
    const { settings, counts, random } = this.link;
    counts.packets++;
    if (settings.drop > 0 && random() < settings.drop) {
      counts.dropped++;
      return;
    }
    let bytes = packet;
    if (settings.corrupt > 0 && random() < settings.corrupt && bytes.length > 0) {
      counts.corrupted++;
      bytes = Uint8Array.from(bytes);
      bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
    }
    if (settings.reorder > 0 && !this.held && random() < settings.reorder) {
      counts.reordered++;
      // Held until the next packet has been scheduled, or until the hold runs out.
      const timer = setTimeout(() => this.release(), IMPAIRMENT_LIMITS.reorderHoldMs);
      this.held = { bytes, timer };
      return;
    }
    this.schedule(bytes);
    this.release();
  }

  /** Drops whatever waits: the link is closing. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  /** The held-back packet goes now, after whatever was scheduled before it. */
  private release(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    this.schedule(held.bytes);
  }

  private schedule(bytes: Uint8Array): void {
    const { settings, counts, random } = this.link;
    const copies = settings.duplicate > 0 && random() < settings.duplicate ? 2 : 1;
    if (copies === 2) counts.duplicated++;
    const now = Date.now();
    const jitter = settings.jitterMs > 0 ? (random() * 2 - 1) * settings.jitterMs : 0;
    const transmitMs = settings.rateBitsPerSecond > 0 ? (bytes.length * 8 * 1000) / settings.rateBitsPerSecond : 0;
    for (let copy = 0; copy < copies; copy++) {
      const at = Math.max(now + Math.max(0, settings.delayMs + jitter), this.lastDeparture) + transmitMs;
      this.lastDeparture = at;
      if (settings.split > 0 && bytes.length >= 2 && random() < settings.split) {
        counts.split++;
        const cut = 1 + Math.floor(random() * (bytes.length - 1));
        this.enqueue(at, bytes.subarray(0, cut));
        this.lastDeparture = at + SPLIT_GAP_MS;
        this.enqueue(this.lastDeparture, bytes.subarray(cut));
      } else {
        this.enqueue(at, bytes);
      }
    }
  }

  private enqueue(at: number, bytes: Uint8Array): void {
    // Nothing waits and it is due: straight out, with no timer (the common case without delay).
    if (this.queue.length === 0 && at <= Date.now()) return this.sink(bytes);
    this.queue.push({ at, bytes });
    this.queuedBytes += bytes.length;
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.flushDue(), Math.max(0, this.queue[0].at - Date.now()));
  }

  private flushDue(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0].at <= now) {
      const next = this.queue.shift()!;
      this.queuedBytes -= next.bytes.length;
      this.sink(next.bytes);
    }
    this.arm();
  }
}
