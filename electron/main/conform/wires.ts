/** How the conformance suite reaches a peer: a fresh TCP connection per case, or one serial port for all. */
import { connect } from 'node:net';
import { MAX_PACKET_SIZE } from '../../../shared/msp/index.ts';
import { linkErrorFromNode } from '../link/errors.ts';
import { closePort, openSerialPort, type SerialDriver, systemSerialDriver } from '../link/serial-port.ts';
import type { SerialSettings } from '../link/serial-settings.ts';
import { formatHostPort } from '../link/tcp-server.ts';
import type { ConformWire } from './cases.ts';
import { Probe } from './probe.ts';

export function tcpWire(host: string, port: number, connectTimeoutMs: number): ConformWire {
  const peer = formatHostPort(host, port);
  return {
    kind: 'tcp',
    peer,
    maxPacketSize: MAX_PACKET_SIZE,
    transmitMs: () => 0,
    release: (probe) => probe.close(),
    open: () =>
      new Promise((resolve) => {
        const socket = connect({ host, port, noDelay: true });
        const timer = setTimeout(() => {
          socket.destroy();
          resolve({ ok: false, message: `timed out after ${connectTimeoutMs / 1000} s connecting to ${peer}` });
        }, connectTimeoutMs);
        socket.once('error', (error) => {
          clearTimeout(timer);
          resolve({ ok: false, message: linkErrorFromNode(error, peer).message });
        });
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          resolve({ ok: true, probe: new Probe(socket) });
        });
      }),
  };
}

/** A serial wire and a way to close its port once the suite is done. */
export async function serialWire(
  settings: SerialSettings,
  maxPacketSize: number,
  driver: SerialDriver = systemSerialDriver,
): Promise<{ ok: true; wire: ConformWire; close: () => Promise<void> } | { ok: false; message: string }> {
  const opened = await openSerialPort(settings, driver);
  if (!opened.ok) return { ok: false, message: opened.error.message };
  const port = opened.value;
  const probe = new Probe(port);
  // 10 bits a byte on the line (start, 8 data, stop), doubled for a slow adapter's buffering.
  const msPerByte = (2 * 10 * 1000) / settings.baudRate;
  const wire: ConformWire = {
    kind: 'serial',
    peer: settings.path,
    maxPacketSize,
    transmitMs: (bytes) => Math.ceil(bytes * msPerByte),
    release: () => {},
    open: async () => (probe.closed ? { ok: false, message: `${settings.path} is closed` } : { ok: true, probe }),
  };
  return { ok: true, wire, close: () => closePort(port) };
}
