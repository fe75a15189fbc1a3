/**
 * What a Session tells a capture (msp --capture FILE): every chunk it reads from its stream
 * and every write it makes, as they happen, and its end. The stream level, below framing and
 * below the secure channel, so a capture holds exactly the bytes that went by (inside TLS:
 * the MSP bytes TLS carried, never TLS records or keys).
 */
import type { Duplex } from 'node:stream';

export interface StreamTap {
  received(bytes: Uint8Array): void;
  sent(bytes: Uint8Array): void;
  closed(): void;
}

/** Gives each session a tap for its stream (a TCP socket with its two ends, or a serial port by its path). */
export interface CaptureTap {
  open(stream: Duplex, peer: string): StreamTap;
}
