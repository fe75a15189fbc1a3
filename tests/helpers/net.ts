/** Small real-socket helpers for tests on 127.0.0.1. */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/** `localAddress`: connect from this address (another 127.x address acts as another machine). */
export async function connectTo(port: number, host = '127.0.0.1', localAddress?: string): Promise<Socket> {
  const socket = connect({ port, host, noDelay: true, ...(localAddress ? { localAddress } : {}) });
  await once(socket, 'connect');
  return socket;
}

/** Collects what a socket receives until `enough(bytes)` says so, or fails after timeoutMs. */
export function readUntil(socket: Socket, enough: (bytes: Buffer) => boolean, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`timed out after ${timeoutMs} ms with ${got.length} bytes: ${got.toString('hex').slice(0, 200)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (enough(got)) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
  });
}

/** A TCP server on a free port whose connection handler the test writes. */
export async function listenOn(
  handler: (socket: Socket) => void,
  options: { allowHalfOpen?: boolean } = {},
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    handler(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
