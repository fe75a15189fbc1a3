/** Codec throughput: encode and decode, for small (16 B) and large (4 KiB) payloads. */
import { MspDecoder, PacketType, encodePacket, type DecodeHandler } from '../../shared/msp/index.ts';

export interface CodecFigure {
  operation: string;
  payloadBytes: number;
  packetsPerSec: number;
  mbPerSec: number;
}

/** Runs `op` (which handles `packets` packets of `bytes` bytes in all) for about `ms` after a warm-up. */
function measure(operation: string, payloadBytes: number, packets: number, bytes: number, op: () => void, ms: number): CodecFigure {
  const warmupEnd = performance.now() + ms / 4;
  while (performance.now() < warmupEnd) op();
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 20; i++) op();
    rounds += 20;
    elapsed = performance.now() - start;
  }
  const seconds = elapsed / 1000;
  return {
    operation,
    payloadBytes,
    packetsPerSec: Math.round((rounds * packets) / seconds),
    mbPerSec: Math.round((rounds * bytes) / seconds / 1e5) / 10,
  };
}

export function codecFigures(msEach = 1000): CodecFigure[] {
  const figures: CodecFigure[] = [];
  for (const payloadBytes of [16, 4096]) {
    const packet = { version: 1, type: PacketType.DATA, payload: new Uint8Array(payloadBytes).fill(0x78) };
    const raw = encodePacket(packet);
    // About 64 KB of back-to-back packets: what one TCP read brings under load.
    const count = Math.max(1, Math.floor(65536 / raw.length));
    const chunk = Buffer.alloc(count * raw.length);
    for (let i = 0; i < count; i++) chunk.set(raw, i * raw.length);

    figures.push(measure('encode', payloadBytes, 1, raw.length, () => encodePacket(packet), msEach));

    const decoder = new MspDecoder();
    let seen = 0;
    figures.push(
      measure('decode: push (an event per packet)', payloadBytes, count, chunk.length, () => (seen += decoder.push(chunk).length), msEach),
    );
    const counter: DecodeHandler = { packet: () => void seen++, other: () => {} };
    figures.push(measure('decode: pushTo (no events, the server path)', payloadBytes, count, chunk.length, () => decoder.pushTo(chunk, counter), msEach));
    if (seen === 0) throw new Error('the decoder found no packets'); // keeps the work observable
  }
  return figures;
}
