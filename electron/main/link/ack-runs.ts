/**
 * ACKs back to back, for answering a burst of DATA with one write. A busy server does
 * this hundreds of thousands of times a second, so the bytes are built once per VERSION
 * and shared by every session: nothing ever writes to them, so any number of sockets
 * may have the same memory queued.
 */
import { PacketType, encodePacket, utf8Encode } from '../../../shared/msp/index.ts';

/** The payload of every ACK the original sends. */
export const ACK_PAYLOAD = utf8Encode('OK');

/** Runs up to this many ACKs are views of one shared block; longer ones are built on demand. */
const SHARED_RUN = 512;

export class AckRuns {
  readonly ack: Buffer;
  private readonly block: Buffer;
  /** views[n] = the first n ACKs of the block, made on first use. */
  private readonly views: Buffer[] = [];

  constructor(version: number) {
    this.ack = Buffer.from(encodePacket({ version, type: PacketType.ACK, payload: ACK_PAYLOAD }));
    this.block = repeat(this.ack, SHARED_RUN);
  }

  /** `count` ACKs as one Buffer; do not modify it. */
  bytes(count: number): Buffer {
    if (count > SHARED_RUN) return repeat(this.ack, count);
    return (this.views[count] ??= this.block.subarray(0, this.ack.length * count));
  }
}

const byVersion = new Map<number, AckRuns>();

/** The shared runs for ACKs with this VERSION byte. */
export function ackRunsFor(version: number): AckRuns {
  let runs = byVersion.get(version);
  if (!runs) {
    runs = new AckRuns(version);
    byVersion.set(version, runs);
  }
  return runs;
}

function repeat(bytes: Uint8Array, count: number): Buffer {
  const out = Buffer.allocUnsafe(bytes.length * count);
  for (let i = 0; i < count; i++) out.set(bytes, i * bytes.length);
  return out;
}
