/**
 * Opens the line a transfer runs over, for the CLI (`msp --mode send|receive`) and the app's
 * X/Y/ZMODEM tool alike: a serial port with checked settings, or a raw TCP connection.
 * `close` lets the last bytes (ZFIN, "OO", a final ACK) leave before closing.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { modemError } from '../../../shared/errors/modem.ts';
import { fail, ok, type AppError, type Result } from '../../../shared/result.ts';
import { closePort, openSerialPort, type SerialDriver } from '../link/serial-port.ts';
import type { SerialSettings } from '../link/serial-settings.ts';

/** ZMODEM's window over TCP: large, since errors are the socket's business and the round trip is what counts. */
export const TCP_ZMODEM_WINDOW = 256 * 1024;

export type LineTarget = { kind: 'serial'; settings: SerialSettings } | { kind: 'tcp'; host: string; port: number };

export interface OpenedLine {
  stream: Duplex;
  close(): Promise<void>;
}

export async function openModemLine(target: LineTarget, driver?: SerialDriver): Promise<Result<OpenedLine, AppError>> {
  if (target.kind === 'serial') {
    const port = await openSerialPort(target.settings, driver);
    if (!port.ok) return port;
    // A write failing after the transfer let go of the port (CANs on cancel, EBADF once closed)
    // would otherwise be an uncaught 'error' that ends the app; while a transfer runs, its Line
    // hears errors itself and reports them as the line closing.
    port.value.on('error', () => {});
    const drain = () => new Promise<void>((resolve) => port.value.drain(() => resolve()));
    return ok({ stream: port.value, close: async () => (await drain(), await closePort(port.value)) });
  }
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', onError);
      socket.on('error', () => {}); // reported as the line closing
      resolve(ok({ stream: socket, close: () => new Promise<void>((done) => socket.end(() => done())) }));
    });
    const onError = (error: Error) => resolve(fail(modemError('MODEM_ERR_CONNECT', `Cannot connect to ${target.host}:${target.port}: ${error.message}`)));
    socket.once('error', onError);
  });
}
