/**
 * Limits every side agrees on: the zod schemas (main's check), the renderer's forms and
 * the CLI's flags all read them here. No schema library, so the renderer can import it cheaply.
 */
import { MAX_PACKET_SIZE, MIN_PACKET_SIZE } from './msp/constants.ts';

/** An inclusive range of whole numbers. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A TCP port; 0 lets a server pick a free one, a client needs 1 or more. */
export const TCP_PORT_RANGE = { min: 0, max: 65_535 } as const;

/** Any whole rate here may be typed; the adapter decides what it can really do. */
export const BAUD_RATE_RANGE = { min: 50, max: 4_000_000 } as const;
/** The largest packet a serial link sends or accepts: at least a header and CRC, at most what LENGTH can say. */
export const SERIAL_PACKET_SIZE_RANGE = { min: MIN_PACKET_SIZE, max: MAX_PACKET_SIZE } as const;
/** The pause after each packet on a serial link (ms), as the app's form and IPC accept it. */
export const PACKET_GAP_MS_RANGE = { min: 0, max: 10_000 } as const;
/** The CLI's --packet-gap has always accepted up to a minute; kept so no command line breaks. */
export const CLI_PACKET_GAP_MS_MAX = 60_000;

/** A repeated send: how many times, and the pause between repeats (ms). */
export const SEND_REPEAT_RANGE = { min: 1, max: 1_000_000 } as const;
export const SEND_INTERVAL_MS_RANGE = { min: 0, max: 3_600_000 } as const;
/** What the send box may hold (characters): a maximum payload typed as spaced hex, with room to spare. */
export const SEND_INPUT_MAX = 300_000;

/** Sent inputs remembered in the send box's history, and the longest one kept. */
export const HISTORY_LIMIT = 50;
export const HISTORY_ENTRY_MAX = 10_000;

/** Long enough for any passphrase, short enough that a request stays small. */
export const PASSWORD_MAX = 1024;

/** Whether `value` is a whole number inside `range`. */
export function isWholeInRange(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
