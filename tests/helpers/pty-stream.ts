/** A pty path opened as a Duplex through serialport, as the app opens a real port. */
import type { Duplex } from 'node:stream';
import { closePort, openSerialPort, type PortStream } from '../../electron/main/link/serial-port.ts';
import { DEFAULT_LINE_SETTINGS } from '../../electron/main/link/serial-settings.ts';

export async function openPtyPort(path: string, baudRate = 115200): Promise<PortStream & Duplex> {
  const opened = await openSerialPort({ ...DEFAULT_LINE_SETTINGS, baudRate, path });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

export { closePort };
