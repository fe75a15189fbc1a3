/**
 * The server's one promise, as a property over real sockets on 127.0.0.1: every valid
 * DATA (and ENCRYPTED_DATA) gets exactly one ACK, in order, whatever the chunking, with
 * junk, corrupt frames and packets that need no answer mixed in.
 */
import fc from 'fast-check';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketType, encodePacket, type Packet } from '../../shared/msp/index.ts';
import { TcpServer, type ServerEvent } from '../../electron/main/link/tcp-server.ts';
import { connectTo } from '../helpers/net.ts';
import { hexOf } from '../helpers/vectors.ts';

const ACK_HEX = 'aa55000901114f4b9a';
const RUNS = 100;

/** One piece of what a client sends, and whether the server owes an ACK for it. */
interface Piece {
  bytes: Uint8Array;
  acked: boolean;
  /** The packet the server should see (valid frames only). */
  packet?: Packet;
}

const noAA = (bytes: Uint8Array) => bytes.map((b) => (b === 0xaa ? 0xab : b));

const packetArb = (types: number[]) =>
  fc.record({
    version: fc.integer({ min: 0, max: 255 }),
    type: fc.constantFrom(...types),
    payload: fc.uint8Array({ maxLength: 300 }),
  });

const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  // What needs an ACK.
  packetArb([PacketType.DATA, PacketType.ENCRYPTED_DATA]).map((p) => ({ bytes: encodePacket(p), acked: true, packet: p })),
  // Valid packets that get none: an ACK, unknown types (service TYPEs get service answers: services.test.ts).
  packetArb([PacketType.ACK, 0x00, 0x0e, 0xff]).map((p) => ({ bytes: encodePacket(p), acked: false, packet: p })),
  // Junk with no AA at all, so it can never start a frame.
  fc.uint8Array({ minLength: 1, maxLength: 100 }).map((b) => ({ bytes: noAA(b), acked: false })),
  // A DATA frame with a wrong CRC; no AA after its SYNC, so the rescan cannot find a frame inside it.
  fc.uint8Array({ maxLength: 100 }).map((payload) => {
    const bytes = encodePacket({ version: 1, type: PacketType.DATA, payload: noAA(payload) });
    const crc = bytes[bytes.length - 1];
    const wrong = (crc + 1) & 0xff;
    bytes[bytes.length - 1] = wrong === 0xaa ? (crc + 2) & 0xff : wrong;
    return { bytes, acked: false };
  }),
);

/** Counts the ACKs a socket receives and checks every byte of them. */
function ackCounter(socket: Socket) {
  let hex = '';
  socket.on('data', (chunk: Buffer) => (hex += chunk.toString('hex')));
  return {
    get count() {
      return Math.floor(hex.length / ACK_HEX.length);
    },
    get hex() {
      return hex;
    },
  };
}

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe.each([
  ['quiet (the fast path: no per-packet events)', false],
  ['with traffic events (the GUI and non-quiet CLI path)', true],
])('every valid DATA gets exactly one ACK, in order, whatever the chunking: %s', (_name, traffic) => {
  let server: TcpServer;
  let port = 0;
  let lastClientId = 0;
  const seen = new Map<number, Packet[]>();

  beforeAll(async () => {
    server = new TcpServer({
      host: '127.0.0.1',
      port: 0,
      session: { autoAck: true },
      traffic,
      observer: (event: ServerEvent) => {
        if (event.kind === 'session' && event.event.kind === 'packet' && event.event.dir === 'in') {
          const list = seen.get(event.clientId) ?? [];
          list.push(event.event.packet);
          seen.set(event.clientId, list);
        }
      },
    });
    const started = await server.listen();
    if (!started.ok) throw new Error(started.error.message);
    port = started.port;
  });
  afterAll(() => server.stop());

  it('property over real sockets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pieceArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 12 }),
        async (pieces, cutPoints) => {
          const bytes = Buffer.concat(pieces.map((p) => p.bytes));
          // The stream position where each ACK becomes due: the end of its packet.
          const dueAt: number[] = [];
          let end = 0;
          for (const piece of pieces) {
            end += piece.bytes.length;
            if (piece.acked) dueAt.push(end);
          }
          const cuts = [...new Set(cutPoints.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);

          const socket = await connectTo(port);
          const acks = ackCounter(socket);
          const newest = () => Math.max(0, ...server.clientList().map((c) => c.clientId));
          await until(() => newest() > lastClientId, () => 'the server to accept the connection');
          const clientId = (lastClientId = newest());
          const session = server.session(clientId)!;
          try {
            let sent = 0;
            for (const cut of [...cuts, bytes.length]) {
              socket.write(bytes.subarray(sent, cut));
              sent = cut;
              // The server reads at least up to here before the next chunk goes out, so it
              // really sees the stream cut at this point.
              await until(() => session.stats.bytesIn >= sent, () => `server read ${session.stats.bytesIn} of ${sent}`);
              const due = dueAt.filter((at) => at <= sent).length;
              await until(() => acks.count >= due, () => `${acks.count} ACKs of ${due} due after ${sent} bytes`);
              expect(acks.count).toBe(due); // none early, none twice
            }
            expect(acks.hex).toBe(ACK_HEX.repeat(dueAt.length));
            if (traffic) {
              // In order, and each one whole: the server saw exactly the valid packets sent.
              const expected = pieces.flatMap((p) => (p.packet ? [p.packet] : []));
              const got = seen.get(clientId) ?? [];
              expect(got.map((p) => [p.version, p.type, hexOf(p.payload)])).toEqual(
                expected.map((p) => [p.version, p.type, hexOf(p.payload)]),
              );
            }
          } finally {
            socket.destroy();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
