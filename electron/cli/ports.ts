/** `msp --list-ports`: the serial ports this computer has, one per line. */
import { listSerialPorts } from '../main/link/serial-port.ts';
import type { Printer } from './output.ts';

export async function runListPorts(print: Printer): Promise<number> {
  const listed = await listSerialPorts();
  if (!listed.ok) {
    print.error(`Error: ${listed.error.message}`);
    return 1;
  }
  if (listed.value.length === 0) print.event('none', {}, 'No serial ports found (a USB adapter must be plugged in; a socat pty is not listed).');
  for (const port of listed.value) {
    const ids = port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : undefined;
    const details = [port.manufacturer, port.serialNumber && `serial ${port.serialNumber}`, ids].filter(Boolean).join(', ');
    print.event('port', { ...port }, details ? `${port.path}  (${details})` : port.path);
  }
  return 0;
}
