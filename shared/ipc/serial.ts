/**
 * The serial part of the IPC contract: what the serial panel may ask for (schemas for
 * every argument), what it gets back, and what the app remembers of it. Kept in its own
 * file so the TCP contract stays as it is. The lists mirror electron/main/link/serial-settings.ts
 * (a unit test checks they agree); main still runs checkSerialSettings, which also knows
 * what this platform's driver can set.
 */
import { z } from 'zod';
import type { AppError } from './result.ts';
import { clientSecuritySchema, serverSecuritySchema, type SecurityLock, type ServerSecuritySummary } from './security.ts';

export const SERIAL_DATA_BITS = [5, 6, 7, 8] as const;
export const SERIAL_PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const SERIAL_STOP_BITS = [1, 1.5, 2] as const;
export const SERIAL_FLOW_CONTROLS = ['none', 'rts-cts', 'xon-xoff'] as const;
/** Any whole rate here may be typed; the adapter decides what it can really do. */
export const SERIAL_BAUD_RANGE = { min: 50, max: 4_000_000 } as const;
/** A packet is at least 7 bytes (header and CRC) and LENGTH is a u16. */
export const SERIAL_PACKET_RANGE = { min: 7, max: 65_535 } as const;

/** responder: ACKs every DATA, like `msp --mode server`; sender: sends and waits for ACKs. */
export const serialRoleSchema = z.enum(['responder', 'sender']);

/** "/dev/ttyUSB0", "COM3", a socat pty link: printable, one line, no NUL. */
export const serialPathSchema = z
  .string()
  .trim()
  .min(1, 'Choose a serial port or type its path.')
  .max(1024)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'A port path is one line of printable characters.');

export const serialLineSchema = z.strictObject({
  baudRate: z.number().int().min(SERIAL_BAUD_RANGE.min).max(SERIAL_BAUD_RANGE.max),
  dataBits: z.literal(SERIAL_DATA_BITS),
  parity: z.enum(SERIAL_PARITIES),
  stopBits: z.literal(SERIAL_STOP_BITS),
  flowControl: z.enum(SERIAL_FLOW_CONTROLS),
});

/**
 * A password on the port (no TLS on serial). A sender is like a TCP client: MSP v3, or
 * msp-secure.py's weak scheme when `scheme` is 'legacy'. A responder is like a TCP server:
 * v3, plus msp-secure.py's scheme only when `allowLegacy` is true (default false); it refuses plaintext DATA.
 */
export const serialSecuritySchema = clientSecuritySchema
  .omit({ tls: true })
  .extend({ allowLegacy: serverSecuritySchema.shape.allowLegacy });

/** `serial.open`: a port, its line settings, how gently to send, and the role. */
export const serialOpenSchema = serialLineSchema.extend({
  path: serialPathSchema,
  role: serialRoleSchema,
  /** Pause after each packet has left the port (ms), for receivers with small buffers. */
  packetGapMs: z.number().int().min(0).max(10_000).default(0),
  maxPacketSize: z.number().int().min(SERIAL_PACKET_RANGE.min).max(SERIAL_PACKET_RANGE.max).default(SERIAL_PACKET_RANGE.max),
  /** After an unplug, wait for the port and open it again. */
  reopen: z.boolean().default(false),
  /** Drive the line high (true) or low (false) once open; left out: the OS default (high). */
  dtr: z.boolean().optional(),
  rts: z.boolean().optional(),
  security: serialSecuritySchema.optional(),
});

/** `serial.setSignals`: switch DTR and/or RTS on the open port. */
export const serialSignalsSchema = z
  .strictObject({ dtr: z.boolean().optional(), rts: z.boolean().optional() })
  .refine((lines) => lines.dtr !== undefined || lines.rts !== undefined, 'Say which line to switch: dtr or rts.');

/** What settings.json keeps of the serial panel (never anything secret). */
export const serialSettingsSchema = z.object({
  path: z.string().max(1024).default(''),
  baudRate: serialLineSchema.shape.baudRate.default(9600),
  dataBits: serialLineSchema.shape.dataBits.default(8),
  parity: serialLineSchema.shape.parity.default('none'),
  stopBits: serialLineSchema.shape.stopBits.default(1),
  flowControl: serialLineSchema.shape.flowControl.default('none'),
  role: serialRoleSchema.default('sender'),
  packetGapMs: z.number().int().min(0).max(10_000).default(0),
  maxPacketSize: z.number().int().min(SERIAL_PACKET_RANGE.min).max(SERIAL_PACKET_RANGE.max).default(SERIAL_PACKET_RANGE.max),
  reopen: z.boolean().default(false),
  dtr: z.boolean().default(true),
  rts: z.boolean().default(true),
});

export type SerialRole = z.infer<typeof serialRoleSchema>;
export type SerialLine = z.infer<typeof serialLineSchema>;
export type SerialOpenInput = z.input<typeof serialOpenSchema>;
export type SerialOpenRequest = z.output<typeof serialOpenSchema>;
export type SerialSecurityInput = z.input<typeof serialSecuritySchema>;
export type SerialSignals = z.infer<typeof serialSignalsSchema>;
export type SerialSettingsChoice = z.output<typeof serialSettingsSchema>;
export const DEFAULT_SERIAL_SETTINGS: SerialSettingsChoice = serialSettingsSchema.parse({});

/** A port as the list shows it. Only `path` is always known. */
export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface SerialPresetInfo {
  id: string;
  name: string;
  description: string;
  line: SerialLine;
  packetGapMs: number;
  maxPacketSize: number;
}

/** What the serial form offers on this computer: the rest is greyed out. */
export interface SerialOptions {
  platformName: string;
  parities: SerialLine['parity'][];
  stopBits: SerialLine['stopBits'][];
  standardBaudRates: number[];
  presets: SerialPresetInfo[];
}

/**
 * The link's state while a serial port is in use. A failed open, or an unplug without
 * reopening, is the ordinary `error` state; closing by choice is `idle`.
 */
export interface SerialLinkStatus {
  state: 'serial';
  /** reopening: it was unplugged and we wait for it to come back (see `error`). */
  phase: 'opening' | 'open' | 'reopening';
  path: string;
  /** "9600 8N1" */
  line: string;
  role: SerialRole;
  /** How gently it sends: the pause after each packet and the largest packet. */
  packetGapMs: number;
  maxPacketSize: number;
  since?: number;
  error?: AppError;
  /** The session's lock while open (v3 once a handshake completed). */
  lock?: SecurityLock;
  /** A responder: what it demands of the far end (as a TCP server's summary; never TLS). */
  security?: ServerSecuritySummary;
}
