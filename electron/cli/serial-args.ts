/**
 * The serial flags (--serial, --baud, line settings, presets) shared by every mode.
 * Kept apart from args.ts so the TCP flags and these grow independently; args.ts turns
 * a refusal here into its usual one-line UsageError.
 */
import { CLI_PACKET_GAP_MS_MAX, SERIAL_PACKET_SIZE_RANGE, isWholeInRange } from '../../shared/limits.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { DATA_BITS, FLOW_CONTROLS, PARITIES, STOP_BITS, type DataBits, type FlowControl, type Parity, type StopBits } from '../../shared/serial/options.ts';
import { SERIAL_PRESETS, findSerialPreset } from '../main/link/serial-presets.ts';
import {
  DEFAULT_LINE_SETTINGS,
  checkSerialSettings,
  type LineSettings,
  type SerialSettings,
} from '../main/link/serial-settings.ts';

export interface SerialConfig {
  settings: SerialSettings;
  /** Pause after each packet sent (ms). */
  packetGapMs: number;
  /** Largest packet sent or accepted. */
  maxPacketSize: number;
  /** Wait for an unplugged port to come back instead of stopping. */
  reopen: boolean;
}

/** For parseArgs. No defaults here: a preset fills what the flags leave out. */
export const SERIAL_FLAGS = {
  serial: { type: 'string' },
  baud: { type: 'string' },
  'data-bits': { type: 'string' },
  parity: { type: 'string' },
  'stop-bits': { type: 'string' },
  flow: { type: 'string' },
  dtr: { type: 'string' },
  rts: { type: 'string' },
  preset: { type: 'string' },
  'packet-gap': { type: 'string' },
  'max-packet': { type: 'string' },
  reopen: { type: 'boolean' },
} as const;

type SerialFlagValues = { [K in keyof typeof SERIAL_FLAGS]?: (typeof SERIAL_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

export const SERIAL_USAGE = `Serial (every mode; the port replaces --host/--port, except in bridge mode):
  --serial PATH       serial port: /dev/ttyUSB0, COM3, a socat pty, ...
  --baud N            baud rate: 300 ... 921600, or a custom rate                   [9600]
  --data-bits N       5, 6, 7 or 8                                                  [8]
  --parity P          none, even, odd, mark or space (mark/space: Windows only)     [none]
  --stop-bits N       1, 1.5 or 2 (1.5: Windows only, with 5 data bits)             [1]
  --flow F            none, rts-cts or xon-xoff                                     [none]
  --dtr on|off        drive DTR once open; --rts on|off likewise                    [OS default]
  --preset NAME       ${SERIAL_PRESETS.map((p) => p.id).join(', ')} (line settings, pause, packet size)
  --packet-gap MS     pause after each packet sent, for slow receivers              [0]
  --max-packet N      largest packet sent or accepted, ${SERIAL_PACKET_SIZE_RANGE.min}..${SERIAL_PACKET_SIZE_RANGE.max}                     [${SERIAL_PACKET_SIZE_RANGE.max}]
  --reopen            server, bridge: wait for an unplugged port to come back
  --list-ports        list the serial ports and exit`;

class SerialFlagError extends Error {}

/** The serial part of the command line: undefined when --serial is absent, or why it is wrong. */
export function parseSerialFlags(values: SerialFlagValues): Result<SerialConfig | undefined, string> {
  try {
    return ok(readSerialFlags(values));
  } catch (error) {
    if (error instanceof SerialFlagError) return fail(error.message);
    throw error;
  }
}

function readSerialFlags(v: SerialFlagValues): SerialConfig | undefined {
  if (v.serial === undefined) {
    const stray = (Object.keys(SERIAL_FLAGS) as Array<keyof typeof SERIAL_FLAGS>).find((flag) => flag !== 'serial' && v[flag] !== undefined);
    if (stray) refuse(`--${stray} needs --serial PATH.`);
    return undefined;
  }
  let preset;
  if (v.preset !== undefined) {
    preset = findSerialPreset(v.preset);
    if (!preset) refuse(`Unknown --preset "${v.preset}": use ${SERIAL_PRESETS.map((p) => p.id).join(', ')}.`);
  }
  const line: LineSettings = { ...(preset?.line ?? DEFAULT_LINE_SETTINGS) };
  if (v.baud !== undefined) line.baudRate = wholeNumber('--baud', v.baud);
  if (v['data-bits'] !== undefined) line.dataBits = Number(oneOf('--data-bits', v['data-bits'], DATA_BITS.map(String))) as DataBits;
  if (v.parity !== undefined) line.parity = oneOf('--parity', v.parity, [...PARITIES]) as Parity;
  if (v['stop-bits'] !== undefined) line.stopBits = Number(oneOf('--stop-bits', v['stop-bits'], STOP_BITS.map(String))) as StopBits;
  if (v.flow !== undefined) line.flowControl = oneOf('--flow', v.flow, [...FLOW_CONTROLS]) as FlowControl;
  if (v.dtr !== undefined) line.dtr = oneOf('--dtr', v.dtr, ['on', 'off']) === 'on';
  if (v.rts !== undefined) line.rts = oneOf('--rts', v.rts, ['on', 'off']) === 'on';

  const checked = checkSerialSettings({ path: v.serial, ...line });
  if (!checked.ok) refuse(checked.error.message);
  const packetGapMs = v['packet-gap'] !== undefined ? wholeNumber('--packet-gap', v['packet-gap']) : (preset?.packetGapMs ?? 0);
  if (packetGapMs > CLI_PACKET_GAP_MS_MAX) refuse(`--packet-gap must be at most ${CLI_PACKET_GAP_MS_MAX} ms, got ${packetGapMs}.`);
  const maxPacketSize = v['max-packet'] !== undefined ? wholeNumber('--max-packet', v['max-packet']) : (preset?.maxPacketSize ?? SERIAL_PACKET_SIZE_RANGE.max);
  if (!isWholeInRange(maxPacketSize, SERIAL_PACKET_SIZE_RANGE)) {
    refuse(`--max-packet must be between ${SERIAL_PACKET_SIZE_RANGE.min} and ${SERIAL_PACKET_SIZE_RANGE.max}, got ${maxPacketSize}.`);
  }
  return { settings: checked.value, packetGapMs, maxPacketSize, reopen: v.reopen === true };
}

function refuse(message: string): never {
  throw new SerialFlagError(message);
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) refuse(`${flag} must be a whole number, got "${text}".`);
  return Number(text);
}

function oneOf(flag: string, text: string, choices: readonly string[]): string {
  const value = text.trim().toLowerCase();
  if (!choices.includes(value)) refuse(`${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, got "${text}".`);
  return value;
}
