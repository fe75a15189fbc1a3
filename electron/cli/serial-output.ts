/** How the CLI shows a serial port: its state changes (with reasons) and, through printServerEvent, its traffic. */
import type { SerialLinkEvent } from '../main/link/serial-link.ts';
import type { Printer } from './output.ts';
import { printServerEvent } from './server.ts';

/** `line` is how the port was opened, e.g. "9600 8N1". */
export function printSerialEvent(e: SerialLinkEvent, print: Printer, quiet: boolean, line: string): void {
  const { path } = e;
  if (e.kind === 'session') {
    // A session's end is reported by the state event that follows, with its reason.
    if (e.event.kind === 'closed' || (quiet && e.event.kind === 'packet')) return;
    return printServerEvent({ kind: 'session', clientId: 0, peer: path, event: e.event }, print, quiet);
  }
  switch (e.state) {
    case 'open':
      return print.event('open', { path, line }, `Serial port ${path} open at ${line}`);
    case 'disconnected': {
      const waiting = e.reopening ? ' Waiting for it to come back...' : '';
      return print.event(
        'disconnected',
        { path, code: e.error?.code, message: e.error?.message, reopening: e.reopening === true },
        `${e.error?.message ?? `Serial port ${path} was disconnected.`}${waiting}`,
      );
    }
    case 'closed':
      // A failed open is reported once, as the command's error line.
      if (!e.error) print.event('closed', { path }, `Serial port ${path} closed`);
      return;
    case 'opening':
      return;
  }
}

/** A printer whose events say which side of a bridge they come from. */
export function withSide(print: Printer, side: 'tcp' | 'serial'): Printer {
  return {
    event: (name, fields, text) => print.event(name, { side, ...fields }, `${side} ${text}`),
    error: (text) => print.error(text),
  };
}
