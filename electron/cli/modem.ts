/**
 * `msp --mode send|receive --protocol xmodem|xmodem-1k|ymodem|zmodem`: a file transfer over a
 * serial port or a raw TCP connection. Events are lines on stdout (JSON with --json); a
 * terminal gets a progress line on stderr (bytes, %, rate, ETA).
 */
import type { ModemEvent } from '../../shared/modem/protocols.ts';
import { TCP_ZMODEM_WINDOW, openModemLine } from '../main/modem/open-line.ts';
import { receiveFiles, sendFiles } from '../main/modem/transfer.ts';
import type { ModemConfig } from './modem-args.ts';
import { interrupted } from './interrupted.ts';
import type { Printer } from './output.ts';

export async function runModem(config: ModemConfig, print: Printer): Promise<number> {
  const stopper = new AbortController();
  void interrupted().then(() => stopper.abort());
  const opened = await openModemLine(config.serial ? { kind: 'serial', settings: config.serial.settings } : { kind: 'tcp', host: config.host, port: config.port! });
  if (!opened.ok) {
    print.error(`Error: ${opened.error.message}`);
    return 1;
  }
  const progress = progressPrinter(config, print);
  const options = { timeoutMs: config.timeoutMs, onEvent: progress, signal: stopper.signal, ...(config.serial ? {} : { window: TCP_ZMODEM_WINDOW }) };
  try {
    const result =
      config.mode === 'send'
        ? await sendFiles(opened.value.stream, config.protocol, config.files, options)
        : await receiveFiles(
            opened.value.stream,
            config.protocol,
            { dir: config.receiveDir!, overwrite: config.overwrite, maxFileSize: config.maxFileSize },
            options,
            config.files[0],
          );
    progress.clear();
    if (!result.ok) {
      if (config.json) print.event('error', { code: result.error.code, message: result.error.message }, '');
      print.error(`Error: ${result.error.message}`);
      return 1;
    }
    print.event('done', {}, 'Transfer complete.');
    return 0;
  } finally {
    await opened.value.close();
  }
}

/** Prints events; on a terminal also a progress line, redrawn at most 5 times a second. */
function progressPrinter(config: ModemConfig, print: Printer): ((event: ModemEvent) => void) & { clear(): void } {
  const tty = !config.json && !config.quiet && process.stderr.isTTY;
  let lastDraw = 0;
  let lastJson = 0;
  let started = { at: performance.now(), bytes: 0 };
  let drawn = false;
  const clear = () => {
    if (drawn) process.stderr.write('\r\x1b[K');
    drawn = false;
  };
  const onEvent = (event: ModemEvent) => {
    const now = performance.now();
    switch (event.kind) {
      case 'progress': {
        if (config.json && now - lastJson >= 250) {
          lastJson = now;
          print.event('progress', { name: event.name, bytes: event.bytes, ...(event.size !== undefined ? { size: event.size } : {}) }, '');
        }
        if (!tty || now - lastDraw < 200) return;
        lastDraw = now;
        const seconds = (now - started.at) / 1000;
        const rate = seconds > 0 ? (event.bytes - started.bytes) / seconds : 0;
        const percent = event.size ? ` ${Math.floor((100 * event.bytes) / event.size)}%` : '';
        const eta = event.size && rate > 0 ? `  ETA ${Math.ceil((event.size - event.bytes) / rate)} s` : '';
        process.stderr.write(`\r\x1b[K${event.name}  ${event.bytes}${event.size ? `/${event.size}` : ''} bytes${percent}  ${(rate / 1024).toFixed(1)} KiB/s${eta}`);
        drawn = true;
        return;
      }
      case 'file-start':
        clear();
        started = { at: now, bytes: event.offset };
        print.event('file-start', withoutKind(event), `${config.mode === 'send' ? 'Sending' : 'Receiving'} ${event.name}${event.size !== undefined ? ` (${event.size} bytes)` : ''}${event.offset > 0 ? `, resuming at ${event.offset}` : ''}`);
        return;
      case 'file-done': {
        clear();
        const renamed = event.changes && event.changes.length > 0 ? ` (offered as "${event.offered}": ${event.changes.join(', ')})` : '';
        print.event('file-done', withoutKind(event), `${event.name}: ${event.bytes} bytes${event.path ? ` saved as ${event.path}` : ' sent'}${renamed}`);
        return;
      }
      case 'file-skipped':
        clear();
        print.event('file-skipped', withoutKind(event), `${event.name}: skipped (${event.reason})`);
        return;
      case 'retry':
        if (config.quiet) return;
        clear();
        print.event('retry', withoutKind(event), `  at ${event.at}: ${event.reason}`);
        return;
    }
  };
  return Object.assign(onEvent, { clear });
}

function withoutKind(event: ModemEvent): Record<string, unknown> {
  const { kind: _kind, ...fields } = event;
  return fields;
}
