/**
 * Many idle clients at once: connects N, then sends one DATA on each and counts the
 * ACKs; the server's resident memory before and while holding them gives the cost of
 * a connection.
 */
import { connect, type Socket } from 'node:net';
import { PacketType, encodePacket } from '../../shared/msp/index.ts';
import type { ServerProcess } from './server-process.ts';

export interface HoldResult {
  requested: number;
  connected: number;
  acked: number;
  secondsToConnect: number;
  serverRssBeforeMb: number;
  serverRssHoldingMb: number;
  bytesPerConnection: number;
  errors: string[];
}

const ACK_HEX = 'aa55000901114f4b9a';
const DATA = Buffer.from(encodePacket({ version: 1, type: PacketType.DATA, payload: Buffer.from('held') }));

export async function holdConnections(server: ServerProcess, count: number, host = '127.0.0.1'): Promise<HoldResult> {
  const errors: string[] = [];
  const rssBefore = server.rssBytes();
  const started = performance.now();
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket | undefined>((resolve) => {
          const socket = connect({ host, port: server.port });
          socket.once('connect', () => resolve(socket));
          socket.on('error', (error) => {
            if (errors.length < 5) errors.push(error.message);
            resolve(undefined);
          });
        }),
    ),
  );
  const secondsToConnect = (performance.now() - started) / 1000;
  const open = sockets.filter((s): s is Socket => s !== undefined && !s.destroyed);
  // Let the server accept the last of them before weighing it.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssHolding = server.rssBytes();

  let acked = 0;
  await Promise.all(
    open.map(
      (socket) =>
        new Promise<void>((resolve) => {
          let reply = '';
          const timer = setTimeout(resolve, 10_000);
          socket.on('data', (chunk: Buffer) => {
            reply += chunk.toString('hex');
            if (reply.length >= ACK_HEX.length) {
              if (reply === ACK_HEX) acked++;
              clearTimeout(timer);
              resolve();
            }
          });
          socket.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.write(DATA);
        }),
    ),
  );
  for (const socket of open) socket.destroy();
  return {
    requested: count,
    connected: open.length,
    acked,
    secondsToConnect: Math.round(secondsToConnect * 1000) / 1000,
    serverRssBeforeMb: mb(rssBefore),
    serverRssHoldingMb: mb(rssHolding),
    bytesPerConnection: open.length ? Math.round((rssHolding - rssBefore) / open.length) : 0,
    errors,
  };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
