/**
 * Flags of `msp --mode send|receive`: X/Y/ZMODEM over a serial port (--serial) or a raw TCP
 * connection (--host/--port). Kept apart from args.ts, which hands these modes over here.
 */
import { parseArgs } from 'node:util';
import { MODEM_DEFAULTS, MODEM_PROTOCOLS, isModemProtocol, type ModemProtocol } from '../../shared/modem/protocols.ts';
import { TCP_PORT_RANGE } from '../../shared/limits.ts';
import { parseSize } from '../../shared/size.ts';
import { SERIAL_FLAGS, parseSerialFlags, type SerialConfig } from './serial-args.ts';

export interface ModemConfig {
  mode: 'send' | 'receive';
  protocol: ModemProtocol;
  /** send: the files; receive with XMODEM: the one name to save under. */
  files: string[];
  receiveDir?: string;
  overwrite: boolean;
  maxFileSize: number;
  timeoutMs: number;
  serial?: SerialConfig;
  host: string;
  port?: number;
  json: boolean;
  quiet: boolean;
}

export const MODEM_USAGE = `File transfer with X/Y/ZMODEM (for peers that do not speak MSP: lrzsz, DOS terminals):
  msp --mode send    --protocol P (--serial PATH [line settings] | --host H --port P) FILE...
  msp --mode receive --protocol P (--serial PATH [line settings] | --host H --port P) --receive-dir DIR [NAME]
  --protocol P        ${MODEM_PROTOCOLS.join(', ')} (XMODEM: one file; receiving it needs NAME)
  --receive-dir DIR   receive: the only folder files are written to (names are made safe;
                      a file is DIR/NAME.part until complete; ZMODEM resumes an existing .part)
  --overwrite         receive: replace an existing file (otherwise "name (1).ext")
  --max-file-size N   receive: refuse or stop a file larger than N bytes (K, M, G) [${MODEM_DEFAULTS.maxFileSize}]
  --timeout S         seconds to wait for the peer before asking again            [${MODEM_DEFAULTS.timeoutMs / 1000}]
  --host H --port P   raw TCP instead of a serial port: connect to H:P
  --json              one JSON object per line for each event; otherwise progress on stderr (a terminal)`;

export class ModemUsageError extends Error {}

export function isModemMode(argv: string[]): boolean {
  const i = argv.indexOf('--mode');
  const mode = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length);
  return mode === 'send' || mode === 'receive';
}

export function parseModemCommandLine(argv: string[]): ModemConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        mode: { type: 'string' },
        protocol: { type: 'string' },
        'receive-dir': { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        timeout: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        ...SERIAL_FLAGS,
      },
    });
  } catch (error) {
    throw new ModemUsageError((error as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  const mode = v.mode as 'send' | 'receive';
  if (v.protocol === undefined) throw new ModemUsageError(`--mode ${mode} needs --protocol (${MODEM_PROTOCOLS.join(', ')}).`);
  if (!isModemProtocol(v.protocol)) throw new ModemUsageError(`Unknown --protocol "${v.protocol}": use ${MODEM_PROTOCOLS.join(', ')}.`);
  const protocol = v.protocol;
  const serial = parseSerialFlags(v);
  if (!serial.ok) throw new ModemUsageError(serial.error);
  if (serial.value && (v.host !== undefined || v.port !== undefined)) throw new ModemUsageError('Give either --serial or --host/--port, not both.');
  if (!serial.value && v.port === undefined) throw new ModemUsageError(`--mode ${mode} needs --serial PATH, or --host and --port for raw TCP.`);
  let port: number | undefined;
  if (v.port !== undefined) {
    port = Number(v.port);
    if (!Number.isInteger(port) || port < 1 || port > TCP_PORT_RANGE.max) throw new ModemUsageError(`--port must be 1..${TCP_PORT_RANGE.max}, got "${v.port}".`);
  }
  const files = parsed.positionals;
  if (mode === 'send') {
    if (files.length === 0) throw new ModemUsageError('--mode send needs the FILE(s) to send.');
    if (protocol.startsWith('xmodem') && files.length > 1) throw new ModemUsageError('XMODEM sends one file; use ymodem or zmodem for several.');
    for (const flag of ['receive-dir', 'max-file-size'] as const) if (v[flag] !== undefined) throw new ModemUsageError(`--${flag} is for --mode receive.`);
    if (v.overwrite) throw new ModemUsageError('--overwrite is for --mode receive.');
  } else {
    if (v['receive-dir'] === undefined) throw new ModemUsageError('--mode receive needs --receive-dir DIR: files are written only there.');
    if (protocol.startsWith('xmodem') && files.length !== 1) throw new ModemUsageError('XMODEM carries no file name: give the NAME to save it under.');
    if (!protocol.startsWith('xmodem') && files.length > 0) throw new ModemUsageError(`${protocol} carries the file names; give no NAME.`);
  }
  const maxFileSize = v['max-file-size'] === undefined ? MODEM_DEFAULTS.maxFileSize : parseSize(v['max-file-size']);
  if (maxFileSize === undefined || maxFileSize < 1) throw new ModemUsageError('--max-file-size must be a number of bytes, 1 or more, with an optional K, M or G (powers of 1024): 500K, 2G.');
  const timeout = v.timeout === undefined ? MODEM_DEFAULTS.timeoutMs / 1000 : Number(v.timeout);
  if (!(timeout > 0 && timeout <= 3600)) throw new ModemUsageError('--timeout must be more than 0 and at most 3600 seconds.');
  return {
    mode,
    protocol,
    files,
    ...(v['receive-dir'] !== undefined ? { receiveDir: v['receive-dir'] } : {}),
    overwrite: v.overwrite,
    maxFileSize,
    timeoutMs: Math.round(timeout * 1000),
    ...(serial.value ? { serial: serial.value } : {}),
    host: v.host ?? '127.0.0.1',
    ...(port !== undefined ? { port } : {}),
    json: v.json,
    quiet: v.quiet,
  };
}

export function isModemConfig(config: { mode: string }): config is ModemConfig {
  return config.mode === 'send' || config.mode === 'receive';
}
