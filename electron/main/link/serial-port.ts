/**
 * Listing and opening serial ports through serialport. A SerialDriver stands between
 * us and the library so tests can hand in serialport's SerialPortMock instead.
 */
import type { Duplex } from 'node:stream';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { LinkError } from './errors.ts';
import { serialListError, serialOpenError, serialSignalsError } from './serial-errors.ts';
import { treatEndOfFileAsHangup } from './serial-hangup.ts';
import { listKernelSerialPorts } from './serial-port-sysfs.ts';
import type { SerialSettings } from './serial-settings.ts';

/** A port as the list shows it. Only `path` is always known. */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** Plug-and-play id (Linux: the /dev/serial/by-id name; Windows: the device instance). */
  pnpId?: string;
}

export interface ModemStatus {
  cts: boolean;
  dsr: boolean;
  dcd: boolean;
}

type Callback = (error: Error | null) => void;

/** What we use of a serialport stream: both SerialPort and SerialPortMock fit. */
export interface PortStream extends Duplex {
  readonly isOpen: boolean;
  open(callback: Callback): void;
  close(callback?: Callback): void;
  set(options: { dtr?: boolean; rts?: boolean }, callback: Callback): void;
  get(callback: (error: Error | null, status?: ModemStatus) => void): void;
  /** Waits until written bytes have left the port (tcdrain). */
  drain(callback: Callback): void;
}

/** The options serialport's bindings take. */
export interface PortOpenOptions {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: string;
  stopBits: 1 | 1.5 | 2;
  rtscts: boolean;
  xon: boolean;
  xoff: boolean;
}

export interface SerialDriver {
  list(): Promise<SerialPortInfo[]>;
  /** A port object for these options, not opened yet. */
  create(options: PortOpenOptions): Promise<PortStream>;
}

/**
 * The real ports. serialport (and its native binding) loads on first use, so the
 * TCP-only CLI never depends on it.
 */
export const systemSerialDriver: SerialDriver = {
  async list() {
    const { SerialPort } = await import('serialport');
    try {
      return await SerialPort.list();
    } catch (error) {
      // serialport's Linux lister runs udevadm; without udev, ask the kernel instead.
      if (process.platform === 'linux' && isMissingUdevadm(error)) return listKernelSerialPorts();
      throw error;
    }
  },
  async create(options) {
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ ...options, autoOpen: false });
    // Before anything reads: an unplug must end in a disconnect, not in a busy loop.
    port.once('open', () => treatEndOfFileAsHangup(port));
    return port;
  },
};

function isMissingUdevadm(error: unknown): boolean {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  return code === 'ENOENT' && path === 'udevadm';
}

export async function listSerialPorts(driver: SerialDriver = systemSerialDriver): Promise<Result<SerialPortInfo[], LinkError>> {
  try {
    const ports = await driver.list();
    return ok(
      ports.map((port) => {
        const info: SerialPortInfo = { path: port.path };
        for (const key of ['manufacturer', 'serialNumber', 'vendorId', 'productId', 'pnpId'] as const) {
          const value = port[key];
          if (value) info[key] = value;
        }
        return info;
      }),
    );
  } catch (error) {
    return fail(serialListError(error));
  }
}

/**
 * Opens a port with settings that passed checkSerialSettings, then drives DTR/RTS if
 * asked. Resolves with the open stream or with why it could not be opened.
 */
export async function openSerialPort(settings: SerialSettings, driver: SerialDriver = systemSerialDriver): Promise<Result<PortStream, LinkError>> {
  const { path } = settings;
  let port: PortStream;
  try {
    port = await driver.create({
      path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      rtscts: settings.flowControl === 'rts-cts',
      xon: settings.flowControl === 'xon-xoff',
      xoff: settings.flowControl === 'xon-xoff',
    });
  } catch (error) {
    return fail(serialOpenError(error, path));
  }
  const opened = await new Promise<Error | null>((resolve) => port.open(resolve));
  if (opened) return fail(serialOpenError(opened, path));
  if (settings.dtr !== undefined || settings.rts !== undefined) {
    const switched = await setModemLines(port, path, { dtr: settings.dtr ?? true, rts: settings.rts ?? true });
    if (!switched.ok) {
      await closePort(port);
      return switched;
    }
  }
  return ok(port);
}

/** serialport's set() writes every line each time, so both are always given. */
export function setModemLines(port: PortStream, path: string, lines: { dtr: boolean; rts: boolean }): Promise<Result<void, LinkError>> {
  return new Promise((resolve) => port.set(lines, (error) => resolve(error ? fail(serialSignalsError(error, path)) : ok(undefined))));
}

export function readModemStatus(port: PortStream, path: string): Promise<Result<ModemStatus, LinkError>> {
  return new Promise((resolve) =>
    port.get((error, status) => resolve(error || !status ? fail(serialSignalsError(error ?? 'no status', path)) : ok(status))),
  );
}

/** Closes the port if it is open; never rejects (closing a vanished port is not news). */
export function closePort(port: PortStream): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
