/**
 * What a serial line can be set to: the one list of each option. The zod schemas, the
 * serial form, the CLI's flags and checkSerialSettings all read these; what a platform's
 * driver can really set is narrowed in electron/main/link/serial-settings.ts.
 */

export const DATA_BITS = [5, 6, 7, 8] as const;
export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const STOP_BITS = [1, 1.5, 2] as const;
export const FLOW_CONTROLS = ['none', 'rts-cts', 'xon-xoff'] as const;

export type DataBits = (typeof DATA_BITS)[number];
export type Parity = (typeof PARITIES)[number];
export type StopBits = (typeof STOP_BITS)[number];
export type FlowControl = (typeof FLOW_CONTROLS)[number];

/** The rates offered in lists; any other whole rate in BAUD_RATE_RANGE (shared/limits.ts) can be typed in. */
export const STANDARD_BAUD_RATES = [
  300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
] as const;

/** 9600 8N1, no flow control: what most serial devices expect out of the box. */
export const DEFAULT_LINE = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  flowControl: 'none',
} as const satisfies { baudRate: number; dataBits: DataBits; parity: Parity; stopBits: StopBits; flowControl: FlowControl };
