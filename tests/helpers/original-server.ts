/**
 * A test double of the original msp.py server, written from ../shared/spec/MSP.md's
 * description of it (not from its code): each recv(1024) is taken as exactly one packet, with
 * no reassembly and no resync; the parser checks SYNC, minimum length, LENGTH == bytes read,
 * CRC, not VERSION; DATA and ENCRYPTED_DATA get ACK "OK", other types and bad packets no
 * answer; a payload that is not UTF-8 makes the parser raise, which ends that client's
 * handler (its connection is closed). The conformance check is run against it to show that
 * it names these deviations without crashing or hanging.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { PacketType, encodeTextPacket, parsePacket, utf8DecodeStrict } from '../../shared/msp/index.ts';

/** What msp.py reads at once. */
const RECV_SIZE = 1024;

export interface OriginalServer {
  port: number;
  /** The original's verdict per read: "DATA" for a packet it ACKed, else its error text. */
  verdicts: string[];
  close(): Promise<void>;
}

export async function startOriginalServer(options: { version?: number } = {}): Promise<OriginalServer> {
  const ack = encodeTextPacket(options.version ?? 1, PacketType.ACK, 'OK');
  const verdicts: string[] = [];
  const sockets = new Set<Socket>();
  const onRead = (socket: Socket, read: Uint8Array) => {
    const parsed = parsePacket(read);
    if (!parsed.ok) {
      verdicts.push(parsed.error.message.split(':')[0]);
      return;
    }
    const { type, payload } = parsed.value;
    if (type !== PacketType.ENCRYPTED_DATA && utf8DecodeStrict(payload) === undefined) {
      // payload.decode('utf-8') raises; the client's handler dies with it.
      verdicts.push('UnicodeDecodeError');
      socket.destroy();
      return;
    }
    if (type === PacketType.DATA || type === PacketType.ENCRYPTED_DATA) {
      verdicts.push('DATA');
      socket.write(ack);
    } else {
      verdicts.push(`TYPE ${type} ignored`);
    }
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      // A chunk bigger than 1024 bytes is what several recv(1024) calls would have returned.
      for (let at = 0; at < chunk.length && !socket.destroyed; at += RECV_SIZE) onRead(socket, chunk.subarray(at, at + RECV_SIZE));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    verdicts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
