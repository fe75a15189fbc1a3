/**
 * The serial part of the IPC contract: what the serial panel may ask for (schemas for
 * every argument), what it gets back, and what the app remembers of it. Kept in its own
 * file so the TCP contract stays as it is. The option lists and limits come from
 * shared/serial/options.ts and shared/limits.ts; main still runs checkSerialSettings, which
 * also knows what this platform's driver can set.
 */
import { z } from 'zod';
import { BAUD_RATE_RANGE, PACKET_GAP_MS_RANGE, SERIAL_PACKET_SIZE_RANGE } from '../limits.ts';
import type { AppError } from '../result.ts';
import { DATA_BITS, DEFAULT_LINE, FLOW_CONTROLS, PARITIES, STOP_BITS } from '../serial/options.ts';
import { clientSecuritySchema, serverSecuritySchema, type SecurityLock, type ServerSecuritySummary } from './security.ts';

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
  baudRate: z.number().int().min(BAUD_RATE_RANGE.min).max(BAUD_RATE_RANGE.max),
  dataBits: z.literal(DATA_BITS),
  parity: z.enum(PARITIES),
  stopBits: z.literal(STOP_BITS),
  flowControl: z.enum(FLOW_CONTROLS),
});

/** Pause after each packet has left the port (ms), for receivers with small buffers. */
const packetGapSchema = z.number().int().min(PACKET_GAP_MS_RANGE.min).max(PACKET_GAP_MS_RANGE.max);
/** The largest packet sent or accepted: the receiver's buffer limit. */
const maxPacketSizeSchema = z.number().int().min(SERIAL_PACKET_SIZE_RANGE.min).max(SERIAL_PACKET_SIZE_RANGE.max);

/**
 * A password on the port (no TLS on serial). A sender is like a TCP client: MSP v3, or
 * msp-secure.py's weak scheme when `scheme` is 'legacy'. A responder is like a TCP server:
 * v3, plus msp-secure.py's scheme only when `allowLegacy` is ticked; it refuses plaintext DATA.
 */
export const serialSecuritySchema = clientSecuritySchema
  .omit({ tls: true })
  .extend({ allowLegacy: serverSecuritySchema.shape.allowLegacy });

/** `serial.open`: a port, its line settings, how gently to send, and the role. */
export const serialOpenSchema = serialLineSchema.extend({
  path: serialPathSchema,
  role: serialRoleSchema,
  packetGapMs: packetGapSchema.default(0),
  maxPacketSize: maxPacketSizeSchema.default(SERIAL_PACKET_SIZE_RANGE.max),
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
  baudRate: serialLineSchema.shape.baudRate.default(DEFAULT_LINE.baudRate),
  dataBits: serialLineSchema.shape.dataBits.default(DEFAULT_LINE.dataBits),
  parity: serialLineSchema.shape.parity.default(DEFAULT_LINE.parity),
  stopBits: serialLineSchema.shape.stopBits.default(DEFAULT_LINE.stopBits),
  flowControl: serialLineSchema.shape.flowControl.default(DEFAULT_LINE.flowControl),
  role: serialRoleSchema.default('sender'),
  packetGapMs: packetGapSchema.default(0),
  maxPacketSize: maxPacketSizeSchema.default(SERIAL_PACKET_SIZE_RANGE.max),
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
