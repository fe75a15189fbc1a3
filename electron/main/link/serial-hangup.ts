/**
 * Works around serialport/bindings-cpp issue #162 (open in 13.0.0): on Linux and macOS
 * its read retries at once, forever, when read() returns 0 bytes, a busy loop that
 * also grows memory. A tty returns exactly 0 bytes once it has hung up: a USB adapter
 * unplugged while data was flowing, or the far end of a pty closed. So after an open we
 * swap in a read that treats 0 bytes as the hangup it is; serialport then reports a
 * disconnect and closes the port, like it does when the hangup finds the read waiting.
 */
import { read } from 'node:fs';
import { promisify } from 'node:util';

const readAsync = promisify(read);

/** The parts of bindings-cpp's LinuxPortBinding / DarwinPortBinding this uses (public there). */
interface UnixPortBinding {
  fd: number | null;
  readonly isOpen: boolean;
  poller: { once(event: 'readable', callback: (error: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

/** `stream` is an open serialport stream; its `port` is the platform binding. Windows is left alone. */
export function treatEndOfFileAsHangup(stream: { port?: unknown }): void {
  const port = stream.port as Partial<UnixPortBinding> | undefined;
  if (!port || typeof port.fd !== 'number' || typeof port.poller?.once !== 'function') return;
  const binding = port as UnixPortBinding;
  binding.read = (buffer, offset, length) => readUntilHangup(binding, buffer, offset, length);
}

/** bindings-cpp's unixRead, except that end of file is an error (so a disconnect) instead of a retry. */
export async function readUntilHangup(
  port: UnixPortBinding,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    const fd = port.fd;
    if (!port.isOpen || fd === null) throw canceled();
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      if (!port.isOpen) throw canceled();
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
      continue;
    }
    if (bytesRead === 0) throw new Error('the port hung up');
    return { buffer, bytesRead };
  }
}

/** serialport ignores errors marked canceled: they mean we closed the port ourselves. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}
