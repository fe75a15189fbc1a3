/**
 * How serial ports read and write on Linux and macOS: straight on the port's file descriptor,
 * from the event loop, in place of bindings-cpp's unixRead and unixWrite. Two reasons:
 *
 * 1. A hangup. bindings-cpp issue #162 (open in 13.0.0): its read retries at once, forever, when
 *    read() returns 0 bytes, a busy loop that also grows memory. A tty returns exactly 0 bytes
 *    once it has hung up: a USB adapter unplugged while data was flowing, or the far end of a pty
 *    closed. Here 0 bytes is the hangup it is; serialport then reports a disconnect and closes
 *    the port, as it does when the hangup finds the read waiting.
 * 2. A turnaround's time. bindings-cpp reads and writes on libuv's thread pool: every message
 *    read is the poller waking the loop, the loop handing the read to a pool thread and the pool
 *    handing the bytes back, and every write another trip through the pool. Those hand-offs were
 *    most of the time a ZMODEM end took to answer (README, ZMODEM figures). bindings-cpp opens
 *    ports with O_NONBLOCK (serialport_unix.cpp), so read(2) and write(2) on them return at once:
 *    on the loop each costs one system call and never waits. When there is nothing to read, or no
 *    room to write, we wait for the poller as bindings-cpp does.
 */
import { readSync, writeSync } from 'node:fs';

/** The parts of bindings-cpp's LinuxPortBinding / DarwinPortBinding this uses (public there). */
interface UnixPortBinding {
  fd: number | null;
  readonly isOpen: boolean;
  poller: {
    once(event: 'readable' | 'writable', callback: (error: Error | null) => void): unknown;
    /** Watches for these events (bindings-cpp's EVENTS flags), and only these. */
    poll(events: number): void;
  };
  /** What the binding's drain() waits for before tcdrain. */
  writeOperation: Promise<void> | null;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
}

/** `stream` is an open serialport stream; its `port` is the platform binding. Windows (no poller) is left alone. */
export function useDirectUnixIo(stream: { port?: unknown }): void {
  const port = stream.port as Partial<UnixPortBinding> | undefined;
  if (!port || typeof port.fd !== 'number' || typeof port.poller?.once !== 'function') return;
  const binding = port as UnixPortBinding;
  binding.read = (buffer, offset, length) => readNow(binding, buffer, offset, length);
  binding.write = async (buffer) => {
    if (!binding.isOpen) throw new Error('Port is not open');
    const operation = writeAll(binding, buffer);
    binding.writeOperation = operation;
    try {
      await operation;
    } finally {
      if (binding.writeOperation === operation) binding.writeOperation = null;
    }
  };
}

/** What has arrived (at least a byte), waiting for the poller when nothing has; end of file is a hangup. */
async function readNow(port: UnixPortBinding, buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    const fd = port.fd;
    if (!port.isOpen || fd === null) throw canceled();
    let bytesRead: number;
    try {
      bytesRead = readSync(fd, buffer, offset, length, null);
    } catch (error) {
      if (!wouldBlock(error)) throw error;
      await pollFor(port, 'readable');
      continue;
    }
    if (bytesRead === 0) throw new Error('the port hung up');
    return { buffer, bytesRead };
  }
}

/** All of `buffer`, as fast as the port takes it. */
async function writeAll(port: UnixPortBinding, buffer: Buffer): Promise<void> {
  for (let offset = 0; offset < buffer.length; ) {
    const fd = port.fd;
    if (!port.isOpen || fd === null) throw new Error('Port is not open');
    try {
      offset += writeSync(fd, buffer, offset, buffer.length - offset);
    } catch (error) {
      if (!wouldBlock(error)) throw asDisconnect(error);
      await pollFor(port, 'writable');
    }
  }
}

/** bindings-cpp's poller.ts EVENTS. */
const UV_READABLE = 0b01;
const UV_WRITABLE = 0b10;
/** Reads and writes waiting on each port's poller. */
const waiting = new WeakMap<UnixPortBinding, { readable: number; writable: number }>();

/**
 * Waits until the port can be read or written. bindings-cpp's poller watches only the events of
 * its latest request (poller.cpp starts libuv's poll with them, not with all it was asked for),
 * so a write that waits for room while a read waits for bytes would stop the read being woken,
 * and the other way round: a ZMODEM sender that fills the line while its receiver is quiet then
 * waits forever. So each wait asks again for everything that is waited for.
 */
function pollFor(port: UnixPortBinding, what: 'readable' | 'writable'): Promise<void> {
  if (!port.isOpen) return Promise.reject(canceled());
  let waiters = waiting.get(port);
  if (!waiters) waiting.set(port, (waiters = { readable: 0, writable: 0 }));
  const count = waiters;
  count[what]++;
  return new Promise((resolve, reject) => {
    port.poller.once(what, (error) => {
      count[what]--;
      if (error) reject(error);
      else resolve();
    });
    port.poller.poll((count.readable > 0 ? UV_READABLE : 0) | (count.writable > 0 ? UV_WRITABLE : 0));
  });
}

function wouldBlock(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/** As bindings-cpp's unixWrite marks them: these mean the port is gone, which serialport reports as a disconnect. */
function asDisconnect(error: unknown): unknown {
  const { code, errno } = error as NodeJS.ErrnoException;
  if (code === 'EBADF' || code === 'ENXIO' || code === 'EIO' || code === 'UNKNOWN' || errno === -1) Object.assign(error as object, { disconnect: true });
  return error;
}

/** serialport ignores errors marked canceled: they mean we closed the port ourselves. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}
