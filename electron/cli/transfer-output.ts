/**
 * What the CLI prints about file transfers: with --json one object per event on stdout
 * (transfer-started, transfer-progress, transfer-done, transfer-failed); otherwise a line per
 * start and end on stdout, and a progress line (bytes, %, rate, ETA) redrawn on stderr when
 * stderr is a terminal.
 */
import type { TransferEvent } from '../../shared/file-transfer/events.ts';
import type { Printer } from './output.ts';

export function transferPrinter(print: Printer, json: boolean, err: NodeJS.WriteStream = process.stderr): (event: TransferEvent) => void {
  const tty = err.isTTY === true && !json;
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) err.write('\r\x1b[K');
    progressShown = false;
  };
  return (event) => {
    const t = event.transfer;
    const base = { key: t.key, dir: t.dir, peer: t.peer, name: t.name, size: t.size };
    const arrow = t.dir === 'send' ? `-> ${t.peer}` : `<- ${t.peer}`;
    switch (event.kind) {
      case 'started':
        clearProgress();
        return print.event(
          'transfer-started',
          { ...base, offset: event.offset },
          `${t.dir === 'send' ? 'Sending' : 'Receiving'} ${t.name} (${bytes(t.size)}) ${arrow}${event.offset > 0 ? `, resuming at ${bytes(event.offset)}` : ''}`,
        );
      case 'progress':
        if (json) return print.event('transfer-progress', { ...base, bytes: event.bytes, rate_bps: Math.round(event.rateBytesPerSec) }, '');
        if (tty) {
          err.write(`\r\x1b[K${progressLine(t.name, event.bytes, t.size, event.rateBytesPerSec)}`);
          progressShown = true;
        }
        return;
      case 'done':
        clearProgress();
        return print.event(
          'transfer-done',
          { ...base, saved_as: event.savedAs, sha256: event.sha256, resumed_from: event.resumedFrom, ms: event.ms },
          `${t.dir === 'send' ? 'Sent' : 'Received'} ${t.name}${event.savedAs !== t.name ? ` (saved as ${event.savedAs})` : ''}: ${bytes(t.size)} in ${(event.ms / 1000).toFixed(1)} s, SHA-256 verified${event.resumedFrom > 0 ? `, resumed at ${bytes(event.resumedFrom)}` : ''}`,
        );
      case 'failed':
        clearProgress();
        if (json) return print.event('transfer-failed', { ...base, code: event.code, message: event.message, bytes: event.bytes }, '');
        return print.error(event.message);
    }
  };
}

/** "report.pdf  12.5 MiB / 40.0 MiB  31%  2.1 MiB/s  ETA 13 s" */
export function progressLine(name: string, done: number, size: number, rate: number): string {
  const percent = size > 0 ? Math.floor((done / size) * 100) : 100;
  const eta = rate > 0 ? Math.ceil((size - done) / rate) : undefined;
  return `${name}  ${bytes(done)} / ${bytes(size)}  ${percent}%  ${bytes(rate)}/s  ETA ${eta === undefined ? '?' : duration(eta)}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
