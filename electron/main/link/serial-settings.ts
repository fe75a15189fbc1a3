/**
 * Serial line settings: their types, defaults, and the one check every opener runs
 * (the CLI, the app's IPC, the bridge) so a bad setting is refused with a sentence
 * before any port is touched.
 */
import { BAUD_RATE_RANGE } from '../../../shared/limits.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import {
  DATA_BITS,
  DEFAULT_LINE,
  FLOW_CONTROLS,
  PARITIES,
  STOP_BITS,
  type DataBits,
  type FlowControl,
  type Parity,
  type StopBits,
} from '../../../shared/serial/options.ts';
import { linkError, type LinkError } from './errors.ts';

/** Everything needed to open a serial port. */
export interface SerialSettings {
  /** "/dev/ttyUSB0", "COM3", or a socat pty link. */
  path: string;
  baudRate: number;
  dataBits: DataBits;
  parity: Parity;
  stopBits: StopBits;
  flowControl: FlowControl;
  /** Drive DTR high (true) or low (false) once open; undefined leaves the OS default (high). */
  dtr?: boolean;
  /** Drive RTS high or low once open; undefined leaves the OS default (high). */
  rts?: boolean;
}

/** The line settings without the port: what a preset or a GUI form carries. */
export type LineSettings = Omit<SerialSettings, 'path'>;

/** 9600 8N1, no flow control: what most serial devices expect out of the box. */
export const DEFAULT_LINE_SETTINGS: LineSettings = { ...DEFAULT_LINE };

/** What this platform's serial driver (serialport's bindings) can set. */
export interface SerialCapabilities {
  platformName: string;
  parities: readonly Parity[];
  stopBits: readonly StopBits[];
}

/**
 * serialport's Linux and macOS bindings know only none/even/odd parity and 1 or 2
 * stop bits (termios has no portable mark/space or 1.5); Windows' DCB has them all.
 */
export function serialCapabilities(platform: NodeJS.Platform = process.platform): SerialCapabilities {
  if (platform === 'win32') return { platformName: 'Windows', parities: PARITIES, stopBits: STOP_BITS };
  return {
    platformName: platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : platform,
    parities: ['none', 'even', 'odd'],
    stopBits: [1, 2],
  };
}

/**
 * Checks settings that may come from anywhere (a form, a flag, an IPC message) and
 * fills in defaults. Every refusal is LINK_ERR_UNSUPPORTED_SETTING with what to do instead.
 */
export function checkSerialSettings(
  input: { path: string } & Partial<LineSettings>,
  platform: NodeJS.Platform = process.platform,
): Result<SerialSettings, LinkError> {
  const settings: SerialSettings = { ...DEFAULT_LINE_SETTINGS, ...dropUndefined(input), path: input.path };
  const refuse = (message: string) => fail(linkError('LINK_ERR_UNSUPPORTED_SETTING', message));
  const can = serialCapabilities(platform);

  if (typeof settings.path !== 'string' || settings.path.trim() === '') return refuse('No serial port given: say which port to open.');
  const baud = settings.baudRate;
  if (!Number.isInteger(baud) || baud < BAUD_RATE_RANGE.min || baud > BAUD_RATE_RANGE.max) {
    return refuse(`Baud rate ${String(baud)} is not possible: use a whole number from ${BAUD_RATE_RANGE.min} to ${BAUD_RATE_RANGE.max} (for example 9600 or 115200).`);
  }
  if (!(DATA_BITS as readonly number[]).includes(settings.dataBits)) return refuse(`Data bits must be ${orList(DATA_BITS)}, not ${String(settings.dataBits)}.`);
  if (!(PARITIES as readonly string[]).includes(settings.parity)) return refuse(`Parity must be ${orList(PARITIES)}, not "${String(settings.parity)}".`);
  if (!(STOP_BITS as readonly number[]).includes(settings.stopBits)) return refuse(`Stop bits must be ${orList(STOP_BITS)}, not ${String(settings.stopBits)}.`);
  if (!(FLOW_CONTROLS as readonly string[]).includes(settings.flowControl)) {
    return refuse(`Flow control must be ${orList(FLOW_CONTROLS)}, not "${String(settings.flowControl)}".`);
  }
  if (!can.parities.includes(settings.parity)) {
    return refuse(`${capitalize(settings.parity)} parity is not supported on ${can.platformName}: use none, even or odd.`);
  }
  if (!can.stopBits.includes(settings.stopBits)) {
    return refuse(`1.5 stop bits are not supported on ${can.platformName}: use 1 or 2.`);
  }
  // The UART rule Windows enforces: 1.5 stop bits only with 5 data bits, 2 stop bits never with 5.
  if (settings.stopBits === 1.5 && settings.dataBits !== 5) return refuse('1.5 stop bits work only with 5 data bits: use 1 or 2 stop bits.');
  if (settings.stopBits === 2 && settings.dataBits === 5) return refuse('5 data bits cannot have 2 stop bits: use 1 or 1.5.');
  for (const line of ['dtr', 'rts'] as const) {
    if (settings[line] !== undefined && typeof settings[line] !== 'boolean') return refuse(`${line.toUpperCase()} must be on or off.`);
  }
  if (settings.flowControl === 'rts-cts' && settings.rts !== undefined) {
    return refuse('RTS is driven by RTS/CTS flow control: turn flow control off to switch RTS by hand.');
  }
  return ok(settings);
}

/** "9600 8N1", "19200 7E2 RTS/CTS": the way people write line settings. */
export function describeLine(line: LineSettings): string {
  const parity = line.parity === 'none' ? 'N' : line.parity[0].toUpperCase();
  const flow = line.flowControl === 'rts-cts' ? ' RTS/CTS' : line.flowControl === 'xon-xoff' ? ' XON/XOFF' : '';
  return `${line.baudRate} ${line.dataBits}${parity}${line.stopBits}${flow}`;
}

/** "5, 6, 7 or 8": a list of choices as a sentence says it. */
function orList(choices: readonly (string | number)[]): string {
  return `${choices.slice(0, -1).join(', ')} or ${String(choices.at(-1))}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A form or IPC message may carry `undefined` for "not set": let the defaults show through. */
function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
