/**
 * The packet log: the last entries in a ring buffer bounded in count and in bytes
 * (LOG_MAX_ENTRIES, LOG_MAX_BYTES: a peer chooses how large its packets are), ACK statuses paired onto
 * their DATA, and the filtered view kept up to date incrementally (a new batch is
 * filtered on its own; only a filter change rescans everything).
 *
 * It is mutable on purpose: appending to an immutable 100,000-item array on every batch
 * would copy it each time. The store holds one PacketLog and bumps a revision number
 * after each change, which is what components subscribe to.
 */
import type { TrafficEvent } from '../../../../shared/ipc/types.ts';
import { LOG_MAX_BYTES, LOG_MAX_ENTRIES } from '../../../../shared/limits.ts';
import { RingBuffer } from '../../store/ringBuffer.ts';
import { SHOW_EVERYTHING, matcher, type LogFilter } from './logFilter.ts';
import { makeRecord, recordBytes, type LogRecord } from './logRecord.ts';

/** Peers remembered for the peer filter's menu. */
const PEER_LIMIT = 1000;

export class PacketLog {
  private readonly ring: RingBuffer<LogRecord>;
  private readonly byId = new Map<number, LogRecord>();
  private nextSeq = 1;
  private filter: LogFilter = SHOW_EVERYTHING;
  private matches = matcher(SHOW_EVERYTHING);
  /** Seqs of the records that pass the filter, oldest first, from `viewStart`. */
  private view: number[] = [];
  private viewStart = 0;
  private droppedCount = 0;
  private skippedTotal = { events: 0, bytes: 0 };
  readonly peers = new Set<string>();

  constructor(
    readonly capacity = LOG_MAX_ENTRIES,
    readonly maxBytes = LOG_MAX_BYTES,
  ) {
    this.ring = new RingBuffer(capacity, { maxBytes, sizeOf: recordBytes });
  }

  /** Entries held. */
  get size(): number {
    return this.ring.size;
  }

  /** What the entries held cost (recordBytes), never more than maxBytes but for a single entry. */
  get bytes(): number {
    return this.ring.bytes;
  }

  /** Entries pushed out by newer ones (the count or the byte limit) since the last clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Traffic events main dropped before they reached this window (it sent faster than its budget), since the last clear. */
  get skipped(): { events: number; bytes: number } {
    return this.skippedTotal;
  }

  /** Entries that pass the filter. */
  get viewLength(): number {
    return this.view.length - this.viewStart;
  }

  viewAt(index: number): LogRecord | undefined {
    const seq = this.view[this.viewStart + index];
    return seq === undefined ? undefined : this.get(seq);
  }

  /** The position of a record in the filtered view, or -1. */
  viewIndexOf(seq: number): number {
    // Seqs are ascending: binary search.
    let lo = this.viewStart;
    let hi = this.view.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.view[mid];
      if (v === seq) return mid - this.viewStart;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(seq: number): LogRecord | undefined {
    const oldest = this.ring.at(0);
    return oldest ? this.ring.at(seq - oldest.seq) : undefined;
  }

  /** Every record held, oldest first, filtered or not (the Captures tool's "export all"). */
  allRecords(): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = 0; i < this.ring.size; i++) {
      const record = this.ring.at(i);
      if (record) out.push(record);
    }
    return out;
  }

  /** The seq the next record will get (a recording starts there). */
  get upcomingSeq(): number {
    return this.nextSeq;
  }

  /** The records that pass the filter, oldest first (for export). */
  visibleRecords(): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = this.viewStart; i < this.view.length; i++) {
      const record = this.get(this.view[i]);
      if (record) out.push(record);
    }
    return out;
  }

  ingest(events: readonly TrafficEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'entry':
          this.append(makeRecord(this.nextSeq++, event.entry));
          break;
        case 'ack': {
          const data = this.byId.get(event.dataId);
          const ack = this.byId.get(event.ackId);
          if (data) data.ack = { status: 'acked', rttMs: event.rttMs, ...(ack ? { ackSeq: ack.seq } : {}) };
          if (ack && data) ack.ackFor = data.seq;
          break;
        }
        case 'ack-timeout': {
          const data = this.byId.get(event.dataId);
          if (data) data.ack = { status: 'timeout' };
          break;
        }
        case 'ack-lost': {
          const data = this.byId.get(event.dataId);
          if (data) data.ack = { status: 'lost', reason: event.reason };
          break;
        }
        case 'dropped':
          this.skippedTotal = { events: this.skippedTotal.events + event.events, bytes: this.skippedTotal.bytes + event.bytes };
          break;
      }
    }
    this.trimView();
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.matches = matcher(filter);
    this.view = [];
    this.viewStart = 0;
    for (const record of this.ring.toArray()) if (this.matches(record)) this.view.push(record.seq);
  }

  get currentFilter(): LogFilter {
    return this.filter;
  }

  clear(): void {
    this.ring.clear();
    this.byId.clear();
    this.view = [];
    this.viewStart = 0;
    this.droppedCount = 0;
    this.skippedTotal = { events: 0, bytes: 0 };
    this.peers.clear();
  }

  private append(record: LogRecord): void {
    for (const evicted of this.ring.push(record)) {
      this.byId.delete(evicted.entry.id);
      this.droppedCount++;
    }
    this.byId.set(record.entry.id, record);
    if (this.peers.size < PEER_LIMIT) this.peers.add(record.entry.peer);
    if (this.matches(record)) this.view.push(record.seq);
  }

  /** Drops view entries whose records were pushed out; compacts now and then rather than shifting each time. */
  private trimView(): void {
    const oldest = this.ring.at(0)?.seq ?? this.nextSeq;
    while (this.viewStart < this.view.length && this.view[this.viewStart] < oldest) this.viewStart++;
    if (this.viewStart > 4096 && this.viewStart * 2 > this.view.length) {
      this.view = this.view.slice(this.viewStart);
      this.viewStart = 0;
    }
  }
}
