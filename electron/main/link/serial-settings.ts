/**
 * Serial line settings: their types, defaults, and the one check every opener runs
 * (the CLI, the app's IPC, the bridge) so a bad setting is refused with a sentence
 * before any port is touched.
 */
import { fail, ok, type Result } from '../../../shared/msp/index.ts';
import { linkError, type LinkError } from './errors.ts';

export type DataBits = 5 | 6 | 7 | 8;
export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';
export type StopBits = 1 | 1.5 | 2;
export type FlowControl = 'none' | 'rts-cts' | 'xon-xoff';

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

/** The rates offered in lists; any other whole rate in CUSTOM_BAUD_RANGE can be typed in. */
export const STANDARD_BAUD_RATES = [
  300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
] as const;

/** Custom rates are best effort: the adapter decides what it can really do. */
export const CUSTOM_BAUD_RANGE = { min: 50, max: 4_000_000 } as const;

export const DATA_BITS: readonly DataBits[] = [5, 6, 7, 8];
export const PARITIES: readonly Parity[] = ['none', 'even', 'odd', 'mark', 'space'];
export const STOP_BITS: readonly StopBits[] = [1, 1.5, 2];
export const FLOW_CONTROLS: readonly FlowControl[] = ['none', 'rts-cts', 'xon-xoff'];

/** 9600 8N1, no flow control: what most serial devices expect out of the box. */
export const DEFAULT_LINE_SETTINGS: LineSettings = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  flowControl: 'none',
};

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
  if (!Number.isInteger(baud) || baud < CUSTOM_BAUD_RANGE.min || baud > CUSTOM_BAUD_RANGE.max) {
    return refuse(`Baud rate ${String(baud)} is not possible: use a whole number from ${CUSTOM_BAUD_RANGE.min} to ${CUSTOM_BAUD_RANGE.max} (for example 9600 or 115200).`);
  }
  if (!DATA_BITS.includes(settings.dataBits)) return refuse(`Data bits must be 5, 6, 7 or 8, not ${String(settings.dataBits)}.`);
  if (!PARITIES.includes(settings.parity)) return refuse(`Parity must be none, even, odd, mark or space, not "${String(settings.parity)}".`);
  if (!STOP_BITS.includes(settings.stopBits)) return refuse(`Stop bits must be 1, 1.5 or 2, not ${String(settings.stopBits)}.`);
  if (!FLOW_CONTROLS.includes(settings.flowControl)) {
    return refuse(`Flow control must be none, rts-cts or xon-xoff, not "${String(settings.flowControl)}".`);
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

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A form or IPC message may carry `undefined` for "not set": let the defaults show through. */
function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
