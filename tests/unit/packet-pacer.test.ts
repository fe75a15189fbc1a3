import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacketPacer } from '../../electron/main/link/packet-pacer.ts';

/** A stream that records each write; with `holdDrain`, drain() waits until the test says the UART is done. */
function recordingStream(holdDrain = false) {
  const writes: string[] = [];
  const pendingDrains: Array<() => void> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
  }) as Writable & { drain?: (callback: (error: Error | null) => void) => void };
  if (holdDrain) stream.drain = (callback) => pendingDrains.push(() => callback(null));
  const finishSending = () => pendingDrains.splice(0).forEach((done) => done());
  return { stream, writes, finishSending };
}

const text = (s: string) => new TextEncoder().encode(s);
/** Lets the stream's write callbacks (process.nextTick) run without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('PacketPacer: one packet, then a pause, then the next', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds each packet back until the pause after the previous one is over, and keeps the order', async () => {
    const { stream, writes } = recordingStream();
    const pacer = new PacketPacer(stream, 50);
    pacer.write(text('one'));
    pacer.write(text('two'));
    pacer.write(text('three'));
    await settle();
    expect(writes).toEqual(['one']);
    expect(pacer.queuedBytes).toBe('twothree'.length);
    await vi.advanceTimersByTimeAsync(49);
    expect(writes).toEqual(['one']);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual(['one', 'two']);
    await vi.advanceTimersByTimeAsync(50);
    expect(writes).toEqual(['one', 'two', 'three']);
    expect(pacer.queuedBytes).toBe(0);
  });

  it('on a serial port the pause starts only once the packet has left the UART (drain)', async () => {
    const { stream, writes, finishSending } = recordingStream(true);
    const pacer = new PacketPacer(stream, 20);
    pacer.write(text('slow packet'));
    pacer.write(text('next'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toEqual(['slow packet']);
    finishSending();
    await vi.advanceTimersByTimeAsync(20);
    expect(writes).toEqual(['slow packet', 'next']);
  });

  it('stop() drops what is still queued', async () => {
    const { stream, writes } = recordingStream();
    const pacer = new PacketPacer(stream, 10);
    pacer.write(text('a'));
    pacer.write(text('b'));
    pacer.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual(['a']);
    expect(pacer.queuedBytes).toBe(0);
  });
});
