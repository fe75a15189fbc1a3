/**
 * Serial ports as the Linux kernel exposes them, without udev: serialport's Linux lister
 * runs `udevadm`, which minimal machines and containers do not have. The kernel's own view
 * (/sys/class/tty, /dev/serial/by-id) gives the same ports and, for USB adapters, the same
 * details udev would.
 */
import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SerialPortInfo } from './serial-port.ts';

/** The device names serialport's own Linux lister keeps (the rest are consoles and ptys). */
const SERIAL_DEVICE_NAME = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)|rfcomm)/;
/** /sys/class/tty/ttyS*\/type: 0 is PORT_UNKNOWN, a placeholder with no UART behind it. */
const NO_UART = '0';

/**
 * Lists the serial devices under `root` (the file system root; tests pass a fake tree).
 * A tty counts when it has a backing device; USB details come from the nearest USB
 * ancestor in sysfs, and `pnpId` from the /dev/serial/by-id link that points at it.
 */
export async function listKernelSerialPorts(root = '/'): Promise<SerialPortInfo[]> {
  const classDir = join(root, 'sys/class/tty');
  const names = (await readdir(classDir).catch(() => [] as string[])).filter((name) => SERIAL_DEVICE_NAME.test(name)).sort();
  const byId = await serialLinksById(root);
  const ports: SerialPortInfo[] = [];
  for (const name of names) {
    const deviceDir = await realpath(join(classDir, name, 'device')).catch(() => undefined);
    if (!deviceDir) continue; // a virtual tty: nothing to plug into
    if (name.startsWith('ttyS') && (await readText(join(classDir, name, 'type'))) === NO_UART) continue;
    const info: SerialPortInfo = { path: join('/dev', name) };
    const usb = await usbDetails(deviceDir, join(root, 'sys'));
    Object.assign(info, usb);
    const pnpId = byId.get(name);
    if (pnpId) info.pnpId = pnpId;
    ports.push(info);
  }
  return ports;
}

/** /dev/serial/by-id: device name (ttyUSB0) to its stable by-id link name. */
async function serialLinksById(root: string): Promise<Map<string, string>> {
  const dir = join(root, 'dev/serial/by-id');
  const links = new Map<string, string>();
  for (const link of await readdir(dir).catch(() => [] as string[])) {
    const target = await readlink(join(dir, link)).catch(() => undefined);
    if (target) links.set(basename(target), link);
  }
  return links;
}

/** Walks up from the tty's device to the USB device that carries idVendor/idProduct. */
async function usbDetails(deviceDir: string, sysRoot: string): Promise<Partial<SerialPortInfo>> {
  for (let dir = deviceDir; dir.startsWith(sysRoot) && dir !== sysRoot; dir = dirname(dir)) {
    const vendorId = await readText(join(dir, 'idVendor'));
    if (vendorId === undefined) continue;
    const details: Partial<SerialPortInfo> = { vendorId };
    const productId = await readText(join(dir, 'idProduct'));
    const manufacturer = await readText(join(dir, 'manufacturer'));
    const serialNumber = await readText(join(dir, 'serial'));
    if (productId) details.productId = productId;
    if (manufacturer) details.manufacturer = manufacturer;
    if (serialNumber) details.serialNumber = serialNumber;
    return details;
  }
  return {};
}

async function readText(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text?.trim();
}
