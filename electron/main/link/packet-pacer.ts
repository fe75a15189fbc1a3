/**
 * Sends packets one at a time with a pause after each, for receivers with small
 * buffers (a DOS program polling its UART between packets). The pause starts once a
 * packet has left: on a serial port that is when drain() says the UART sent it, since
 * the OS buffer would otherwise swallow the pause while the packet is still going out.
 */
import type { Writable } from 'node:stream';

/** serialport's streams have drain(callback) (tcdrain); sockets do not. */
type MaybeDrainable = Writable & { drain?: (callback: (error: Error | null) => void) => void };

export class PacketPacer {
  private readonly queue: Uint8Array[] = [];
  private sending = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Bytes waiting for their turn (not yet handed to the stream). */
  queuedBytes = 0;

  constructor(
    private readonly stream: MaybeDrainable,
    private readonly gapMs: number,
  ) {}

  /** Queues one whole packet; it goes out in a single write when its turn comes. */
  write(packet: Uint8Array): void {
    if (this.stopped) return;
    this.queue.push(packet);
    this.queuedBytes += packet.length;
    this.sendNext();
  }

  /** Drops whatever is still queued: the link is closing. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    clearTimeout(this.timer);
  }

  private sendNext(): void {
    if (this.sending || this.stopped) return;
    const packet = this.queue.shift();
    if (!packet) return;
    this.sending = true;
    this.queuedBytes -= packet.length;
    // A failed write means the stream is gone; its owner hears that through 'error' or 'close'.
    this.stream.write(packet, (error) => {
      if (error || this.stopped) return;
      this.whenSent(() => {
        this.timer = setTimeout(() => {
          this.sending = false;
          this.sendNext();
        }, this.gapMs);
      });
    });
  }

  private whenSent(then: () => void): void {
    if (typeof this.stream.drain !== 'function') return then();
    this.stream.drain((error) => {
      if (!error && !this.stopped) then();
    });
  }
}
