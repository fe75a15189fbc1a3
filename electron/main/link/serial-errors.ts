/**
 * Serial port errors as LinkErrors. serialport's native bindings report failures as
 * bare message strings (strerror text on Linux and macOS, fixed phrases on Windows),
 * not errno codes, so the mapping reads the message.
 */
import { linkError, type LinkError } from './errors.ts';

/** Why a port could not be opened (or its settings applied). */
export function serialOpenError(error: unknown, path: string, platform: NodeJS.Platform = process.platform): LinkError {
  const detail = messageOf(error);
  if (/No such file or directory|File not found|does not exist|ENOENT/i.test(detail)) {
    return linkError('LINK_ERR_PORT_NOT_FOUND', `Serial port ${path} does not exist: check the name in the list of ports, and that the device is plugged in.`);
  }
  if (/Inappropriate ioctl|Not a typewriter|ENOTTY/i.test(detail)) {
    return linkError('LINK_ERR_PORT_NOT_FOUND', `${path} is not a serial port.`);
  }
  if (/Cannot lock port|Resource temporarily unavailable|Device or resource busy|EBUSY|is locked/i.test(detail)) {
    return linkError('LINK_ERR_PORT_BUSY', `Serial port ${path} is busy: another program has it open. Close it there and try again.`);
  }
  // Windows answers "Access denied" when another program holds the port.
  if (platform === 'win32' && /Access denied/i.test(detail)) {
    return linkError('LINK_ERR_PORT_BUSY', `Serial port ${path} is in use by another program (Windows says "access denied"). Close it there and try again.`);
  }
  if (/Permission denied|Operation not permitted|Access denied|EACCES|EPERM/i.test(detail)) {
    const hint =
      platform === 'linux'
        ? ': your user needs to be in the dialout group (sudo usermod -aG dialout $USER, then log out and back in).'
        : ': this user may not open it.';
    return linkError('LINK_ERR_PORT_PERMISSION', `Permission denied for serial port ${path}${hint}`);
  }
  if (/baud rate|Invalid (data bits|parity|stop bits)|parameter is incorrect|Invalid argument/i.test(detail)) {
    return linkError('LINK_ERR_UNSUPPORTED_SETTING', `Serial port ${path} refused these settings (${detail}).`);
  }
  return linkError('LINK_ERR_IO', `Serial port ${path}: ${detail}`);
}

/** An open port went away under us: unplugged, or the far end of a virtual port closed. */
export function serialDisconnectError(error: unknown, path: string): LinkError {
  return linkError('LINK_ERR_PORT_DISCONNECTED', `Serial port ${path} was disconnected (unplugged, or its other end closed): ${messageOf(error)}.`);
}

/** Switching DTR/RTS or reading CTS/DSR/DCD failed. */
export function serialSignalsError(error: unknown, path: string): LinkError {
  const detail = messageOf(error);
  if (/Inappropriate ioctl|Not a typewriter|ENOTTY|parameter is incorrect/i.test(detail)) {
    return linkError('LINK_ERR_UNSUPPORTED_SETTING', `Serial port ${path} has no modem control lines (a virtual port?): DTR and RTS cannot be switched.`);
  }
  return linkError('LINK_ERR_IO', `Serial port ${path}: could not use the control lines (${detail}).`);
}

/** The ports could not be listed (for example no udevadm on a minimal Linux). */
export function serialListError(error: unknown): LinkError {
  return linkError('LINK_ERR_IO', `Could not list the serial ports: ${messageOf(error)}. You can still type a port's path.`);
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // The bindings prefix "Error: " and end some messages with a comma clause: keep the reason.
  return text.replace(/^Error:?\s*/, '').replace(/[.\s]+$/, '');
}
