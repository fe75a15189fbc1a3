/**
 * Plain TCP sockets that read into one buffer shared by every socket of the process (Node's
 * `onread`), instead of a fresh 64 KiB buffer per read. Receiving a large file, those fresh
 * buffers were about half the receiver's CPU time: allocating them, faulting their pages in
 * (glibc gives freed memory back to the kernel after each collection) and collecting them.
 * With the shared buffer the receiver used half the CPU per MB and took a 256 MiB file 1.5 to 1.9
 * times as fast (README, "File transfer" > "Speed").
 *
 * Each read is emitted as a 'data' event whose chunk is a view of the shared buffer, valid only
 * during the event: the next read, on any socket, overwrites it. That is the contract a Session
 * already keeps (session.ts): the decoder copies the part of a frame it holds, services borrow
 * payloads for the call, observers get copies. One buffer serves every socket because reads run
 * one at a time on the event loop and no listener keeps a chunk past its event.
 */
import { Socket, type OnReadOpts } from 'node:net';

/** Up to this much is taken from the kernel per read. */
export const SHARED_READ_BUFFER_SIZE = 256 * 1024;

let shared: Buffer | undefined;

/** `onread` for `net.connect`: every read of `socket()` becomes a 'data' event with a borrowed chunk. */
export function sharedBufferReads(socket: () => Socket): OnReadOpts {
  shared ??= Buffer.allocUnsafe(SHARED_READ_BUFFER_SIZE);
  const buffer = shared;
  return {
    buffer,
    callback: (bytes) => {
      socket().emit('data', buffer.subarray(0, bytes));
      return true;
    },
  };
}

/**
 * The same for a socket a server accepted (created with `pauseOnConnect`, so it has read
 * nothing yet). Node offers `onread` only to sockets it has not made itself, so this moves the
 * accepted connection's handle into a new Socket that has it, and retires the old Socket
 * without closing the connection. If Node's internals ever differ, the accepted socket is used
 * as it is (Node's own buffers: slower, never wrong).
 */
export function withSharedBufferReads(accepted: Socket): Socket {
  const internals = accepted as unknown as { _handle?: unknown };
  const handle = internals._handle;
  if (!handle || typeof handle !== 'object' || !('readStart' in handle)) {
    accepted.resume();
    return accepted;
  }
  internals._handle = null;
  accepted.destroy(); // with no handle, this only updates the server's connection count
  // `handle` is the option Node's own server passes to the Sockets it creates.
  const options = { handle, readable: true, writable: true, onread: sharedBufferReads(() => socket) };
  const socket: Socket = new Socket(options as ConstructorParameters<typeof Socket>[0]);
  return socket;
}
