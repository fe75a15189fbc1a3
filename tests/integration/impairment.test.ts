/**
 * An impaired server over real sockets on 127.0.0.1: 10,000 DATA in, and the ACKs the client
 * sees match what the impairment says it did, at rates within tolerance of what was asked.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_IMPAIRMENT, type Impairment } from '../../shared/automation/impairment.ts';
import { MspDecoder, PacketType, encodePacket, utf8Encode } from '../../shared/msp/index.ts';
import { LinkImpairment } from '../../electron/main/link/impairment.ts';
import { TcpServer } from '../../electron/main/link/tcp-server.ts';
import { connectTo } from '../helpers/net.ts';
import { waitFor } from '../helpers/wait.ts';

const N = 10_000;
const DATA = encodePacket({ version: 1, type: PacketType.DATA, payload: utf8Encode('hello') });

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** Sends N DATA to a server impairing its ACKs; returns what the client saw and what the impairment did. */
async function impairedRun(settings: Partial<Impairment>, expectedAcks: (link: LinkImpairment) => number) {
  const link = new LinkImpairment({ ...NO_IMPAIRMENT, ...settings }, 1234);
  const server = new TcpServer({ host: '127.0.0.1', port: 0, traffic: false, session: { autoAck: true, impairment: link } });
  const listening = await server.listen();
  if (!listening.ok) throw new Error(listening.error.message);
  stops.push(() => server.stop());
  const socket = await connectTo(listening.port);
  stops.push(async () => void socket.destroy());
  const decoder = new MspDecoder();
  let acks = 0;
  let badFrames = 0;
  let lastRead = Date.now();
  const count = (events: ReturnType<MspDecoder['push']>) => {
    for (const event of events) {
      if (event.kind === 'packet' && event.packet.type === PacketType.ACK && Buffer.from(event.packet.payload).toString() === 'OK' && event.packet.version === 1) acks++;
      else if (event.kind === 'error') badFrames++;
    }
  };
  socket.on('data', (chunk) => {
    lastRead = Date.now();
    count(decoder.push(chunk));
  });
  // In bursts of 500 packets, each burst after the server took the last one in.
  for (let sent = 0; sent < N; sent += 500) {
    if (!socket.write(Buffer.concat(Array.from({ length: 500 }, () => DATA)))) await once(socket, 'drain');
    await waitFor(() => link.counts.packets >= sent + 500, 'the server to take the burst in');
  }
  // A corrupted LENGTH can leave the decoder waiting for a frame that never completes, holding the
  // ACKs after it: once the line is quiet, give that frame up as a receiver's frame timer would.
  await waitFor(() => {
    if (acks < expectedAcks(link) && Date.now() - lastRead > 200) count(decoder.expire());
    return acks >= expectedAcks(link);
  }, `${expectedAcks(link)} ACKs (have ${acks})`);
  return { link, acks, badFrames };
}

const near = (observed: number, expected: number) => expect(Math.abs(observed - expected)).toBeLessThan(0.015);

describe('impairment on the server, 10,000 packets over loopback', () => {
  it('drop=10%: the client gets exactly the ACKs not dropped, about 90 %', async () => {
    const { link, acks } = await impairedRun({ drop: 0.1 }, (l) => l.counts.packets - l.counts.dropped);
    expect(link.counts.packets).toBe(N);
    near(link.counts.dropped / N, 0.1);
    expect(acks).toBe(N - link.counts.dropped);
  });

  it('duplicate=5%: the client gets about 5 % more ACKs, exactly as many as duplicated', async () => {
    const { link, acks } = await impairedRun({ duplicate: 0.05 }, (l) => l.counts.packets + l.counts.duplicated);
    near(link.counts.duplicated / N, 0.05);
    expect(acks).toBe(N + link.counts.duplicated);
  });

  it('corrupt=5%: every corrupted ACK fails to be an ACK; the others all arrive', async () => {
    const { link, acks, badFrames } = await impairedRun({ corrupt: 0.05 }, (l) => l.counts.packets - l.counts.corrupted);
    near(link.counts.corrupted / N, 0.05);
    expect(acks).toBe(N - link.counts.corrupted);
    expect(badFrames).toBeGreaterThan(0);
  });

  it('split=5%: splitting loses nothing', async () => {
    const { link, acks } = await impairedRun({ split: 0.05 }, (l) => l.counts.packets);
    near(link.counts.split / N, 0.05);
    expect(acks).toBe(N);
  });
});
