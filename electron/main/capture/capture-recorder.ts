/**
 * msp --capture FILE.pcapng: every session of this process writes the bytes it reads and
 * writes into one pcapng file as they go (capture-builder.ts decides the layout). Each block
 * is written at once with a synchronous write, in order: nothing is held in memory however
 * long the capture runs, and what was seen is on disk even if the process is killed. A write
 * that fails (disk full) stops the capture with one warning; the link carries on.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CaptureBuilder, type LinkRecorder } from '../../../shared/capture/capture-builder.ts';
import { parseAddress, type Endpoint } from '../../../shared/capture/endpoint.ts';
import type { CaptureError } from '../../../shared/errors/capture.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { CaptureTap, StreamTap } from '../link/capture-tap.ts';

/** Microseconds since the epoch, finer than Date.now()'s milliseconds. */
export const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

export class CaptureRecorder {
  private fd: number | undefined;
  private readonly builder: CaptureBuilder;

  private constructor(
    fd: number,
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {
    this.fd = fd;
    this.builder = new CaptureBuilder((block) => this.write(block));
  }

  /** Creates (or replaces) the file. */
  static create(path: string, onError: (message: string) => void): Result<CaptureRecorder, CaptureError> {
    try {
      return ok(new CaptureRecorder(openSync(path, 'w', 0o600), path, onError));
    } catch (error) {
      return fail({ code: 'CAPTURE_ERR_FILE', message: `Cannot write the capture file ${path}: ${reason(error)}.` });
    }
  }

  /** The tap for this process's sessions: `role` says which side of its TCP links it is. */
  tap(role: 'client' | 'server'): CaptureTap {
    return { open: (stream, peer) => this.open(stream, peer, role) };
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private open(stream: Duplex, peer: string, role: 'client' | 'server'): StreamTap {
    const link = this.linkFor(stream, peer, role);
    return {
      received: (bytes) => link.bytes('in', bytes, nowUs()),
      sent: (bytes) => link.bytes('out', bytes, nowUs()),
      closed: () => link.close(nowUs()),
    };
  }

  private linkFor(stream: Duplex, peer: string, role: 'client' | 'server'): LinkRecorder {
    if (stream instanceof Socket) {
      const local = endpoint(stream.localAddress, stream.localPort);
      const remote = endpoint(stream.remoteAddress, stream.remotePort);
      if (local && remote) return this.builder.tcp(local, remote, role === 'client', nowUs());
    }
    // A serial port (or a stream with no addresses): by the name the session goes by.
    return this.builder.serial(peer);
  }

  private write(block: Uint8Array): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, block);
    } catch (error) {
      this.close();
      this.onError(`The capture to ${this.path} stopped: ${reason(error)}.`);
    }
  }
}

function endpoint(address: string | undefined, port: number | undefined): Endpoint | undefined {
  const bytes = address ? parseAddress(address) : undefined;
  return bytes && port !== undefined ? { address: bytes, port } : undefined;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  return (error as Error).message;
}
