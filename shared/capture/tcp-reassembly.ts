/**
 * One direction of a TCP stream put back in order: segments that arrive early wait, segments
 * sent again are trimmed to what is new, and the bytes come out in sequence order. Bounded:
 * at most MAX_PENDING_SEGMENTS segments and MAX_PENDING_BYTES bytes wait; past that the
 * earliest waiting segment is taken as the next, and the bytes in between are counted as lost
 * (a capture that dropped packets, or a hostile file, cannot make us hold more).
 */
export const MAX_PENDING_SEGMENTS = 1024;
export const MAX_PENDING_BYTES = 4 * 1024 * 1024;

interface Waiting {
  seq: number;
  payload: Uint8Array;
  atUs: number;
}

/** How far `seq` is after `from`, with sequence numbers wrapping at 2^32 (negative: before). */
const distance = (seq: number, from: number): number => (seq - from) | 0;

export class TcpDirection {
  /** The sequence number of the next byte to deliver; unknown until the SYN or the first segment. */
  private next: number | undefined;
  private waiting: Waiting[] = [];
  private waitingBytes = 0;
  /** Bytes seen a second time (retransmissions and overlaps), and bytes never seen (gaps). */
  retransmittedBytes = 0;
  lostBytes = 0;
  deliveredBytes = 0;
  outOfOrderSegments = 0;

  constructor(private readonly deliver: (bytes: Uint8Array, atUs: number) => void) {}

  /** A SYN: the data starts one past its sequence number. */
  syn(seq: number): void {
    if (this.next === undefined) this.next = (seq + 1) >>> 0;
  }

  segment(seq: number, payload: Uint8Array, atUs: number): void {
    if (payload.length === 0) return;
    if (this.next === undefined) this.next = seq;
    const ahead = distance(seq, this.next);
    if (ahead > 0) {
      this.outOfOrderSegments++;
      this.waiting.push({ seq, payload, atUs });
      this.waitingBytes += payload.length;
      if (this.waiting.length > MAX_PENDING_SEGMENTS || this.waitingBytes > MAX_PENDING_BYTES) this.skipGap();
      return;
    }
    this.take(seq, payload, atUs);
    this.drain();
  }

  /** End of the capture: what still waits is delivered in order, gaps counted. */
  finish(): void {
    while (this.waiting.length > 0) this.skipGap();
  }

  /** Delivers the part of a segment at or before `next` that is new. */
  private take(seq: number, payload: Uint8Array, atUs: number): void {
    const old = -distance(seq, this.next!);
    if (old >= payload.length) {
      this.retransmittedBytes += payload.length;
      return;
    }
    this.retransmittedBytes += old;
    const fresh = payload.subarray(old);
    this.next = (this.next! + fresh.length) >>> 0;
    this.deliveredBytes += fresh.length;
    this.deliver(fresh, atUs);
  }

  /** Delivers waiting segments that the stream has now reached. */
  private drain(): void {
    let progressed = true;
    while (progressed && this.waiting.length > 0) {
      progressed = false;
      for (let i = 0; i < this.waiting.length; i++) {
        const segment = this.waiting[i];
        if (distance(segment.seq, this.next!) > 0) continue;
        this.waiting.splice(i, 1);
        this.waitingBytes -= segment.payload.length;
        this.take(segment.seq, segment.payload, segment.atUs);
        progressed = true;
        break;
      }
    }
  }

  /** Gives up on the bytes before the earliest waiting segment. */
  private skipGap(): void {
    let earliest = 0;
    for (let i = 1; i < this.waiting.length; i++) {
      if (distance(this.waiting[i].seq, this.waiting[earliest].seq) < 0) earliest = i;
    }
    const gap = distance(this.waiting[earliest].seq, this.next!);
    if (gap > 0) {
      this.lostBytes += gap;
      this.next = this.waiting[earliest].seq;
    }
    this.drain();
  }
}
