import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listKernelSerialPorts } from '../../electron/main/link/serial-port-sysfs.ts';

/** A fake file system root shaped like a Linux machine's /sys and /dev, without udev. */
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'msp-sysfs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function file(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), `${text}\n`);
}

/** /sys/class/tty/NAME, with a `device` link to `devicePath` under /sys/devices when given. */
async function tty(name: string, devicePath?: string, type?: string): Promise<void> {
  const dir = join(root, 'sys/class/tty', name);
  await mkdir(dir, { recursive: true });
  if (type !== undefined) await file(`sys/class/tty/${name}/type`, type);
  if (devicePath) {
    await mkdir(join(root, 'sys/devices', devicePath), { recursive: true });
    await symlink(join(root, 'sys/devices', devicePath), join(dir, 'device'));
  }
}

describe('serial ports from the kernel (no udevadm)', () => {
  it('lists a USB adapter with the details udev would give, and a real UART', async () => {
    const usb = 'pci0000:00/0000:00:14.0/usb1/1-2';
    await file(`sys/devices/${usb}/idVendor`, '0403');
    await file(`sys/devices/${usb}/idProduct`, '6001');
    await file(`sys/devices/${usb}/manufacturer`, 'FTDI');
    await file(`sys/devices/${usb}/serial`, 'A50285BI');
    await tty('ttyUSB0', `${usb}/1-2:1.0/ttyUSB0`);
    await tty('ttyS0', 'platform/serial8250/tty/ttyS0', '4');
    await mkdir(join(root, 'dev/serial/by-id'), { recursive: true });
    await symlink('../../ttyUSB0', join(root, 'dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'));

    expect(await listKernelSerialPorts(root)).toEqual([
      { path: '/dev/ttyS0' },
      {
        path: '/dev/ttyUSB0',
        vendorId: '0403',
        productId: '6001',
        manufacturer: 'FTDI',
        serialNumber: 'A50285BI',
        pnpId: 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
      },
    ]);
  });

  it('leaves out consoles, ptys, ttys with no device and ttyS placeholders with no UART', async () => {
    await tty('tty1');
    await tty('console');
    await tty('ttyS1', 'platform/serial8250/tty/ttyS1', '0');
    await tty('ttyACM0');
    expect(await listKernelSerialPorts(root)).toEqual([]);
  });

  it('is an empty list, not an error, on a machine with no /sys/class/tty', async () => {
    expect(await listKernelSerialPorts(join(root, 'nothing-here'))).toEqual([]);
  });
});
