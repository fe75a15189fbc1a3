import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { treatEndOfFileAsHangup } from '../../electron/main/link/serial-hangup.ts';

const dir = mkdtempSync(join(tmpdir(), 'msp-hangup-'));
const fds: number[] = [];
afterEach(() => fds.splice(0).forEach((fd) => closeSync(fd)));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for bindings-cpp's port binding over a file: a file at its end reads 0 bytes, as a hung-up tty does. */
function bindingOver(content: string, isOpen = true) {
  const file = join(dir, `f${fds.length}`);
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  fds.push(fd);
  const binding = {
    fd: fd as number | null,
    isOpen,
    poller: { once: () => undefined },
    read: (_buffer: Buffer, _offset: number, _length: number) => Promise.reject(new Error('the original read')),
  };
  treatEndOfFileAsHangup({ port: binding });
  return binding;
}

describe('serial reads on Linux and macOS after a hangup (bindings-cpp issue #162)', () => {
  it('returns the bytes that are there', async () => {
    const binding = bindingOver('AA55');
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await binding.read(buffer, 0, 16);
    expect(buffer.subarray(0, bytesRead).toString()).toBe('AA55');
  });

  it('a read of 0 bytes (end of file) is a hangup error, not a retry loop', async () => {
    const binding = bindingOver('');
    await expect(binding.read(Buffer.alloc(16), 0, 16)).rejects.toThrow('the port hung up');
  });

  it('a read on a port we closed is canceled, which serialport does not count as a disconnect', async () => {
    const binding = bindingOver('', false);
    await expect(binding.read(Buffer.alloc(16), 0, 16)).rejects.toMatchObject({ canceled: true });
  });

  it('leaves a binding without a file descriptor (Windows, the mock) alone', () => {
    const read = () => Promise.resolve({ buffer: Buffer.alloc(0), bytesRead: 0 });
    const port = { read };
    treatEndOfFileAsHangup({ port });
    expect(port.read).toBe(read);
  });
});
