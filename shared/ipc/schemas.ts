/**
 * Schemas for every argument the renderer may send to the main process. Main validates
 * each request against these before acting; the argument types are inferred from them.
 */
import { z } from 'zod';
import { DEFAULT_PORT } from '../msp/constants.ts';
import { HISTORY_ENTRY_MAX, HISTORY_LIMIT, SEND_INPUT_MAX, SEND_INTERVAL_MS_RANGE, SEND_REPEAT_RANGE, TCP_PORT_RANGE } from '../limits.ts';
import { DEFAULT_SERIAL_SETTINGS, serialSettingsSchema } from './serial.ts';
import { clientSecuritySchema, serverSecuritySchema } from './security.ts';

export const hostSchema = z.string().trim().min(1, 'Type a host name or address.').max(253);
/** 0 lets a server pick a free port. */
export const portSchema = z.number().int().min(TCP_PORT_RANGE.min).max(TCP_PORT_RANGE.max);
/** A server listens either for this computer only or on every network interface. */
export const bindAddressSchema = z.enum(['127.0.0.1', '0.0.0.0']);
export const sendFormatSchema = z.enum(['text', 'hex', 'raw']);

export const linkConfigSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('client'),
    host: hostSchema,
    port: portSchema.min(1, 'A client needs the server\'s port (1 to 65535).'),
    security: clientSecuritySchema.optional(),
  }),
  z.strictObject({ mode: z.literal('server'), bind: bindAddressSchema, port: portSchema, security: serverSecuritySchema.optional() }),
]);

export const sendRequestSchema = z.strictObject({
  format: sendFormatSchema,
  /** What the user typed; main composes the bytes itself (shared/send/compose.ts). */
  input: z.string().max(SEND_INPUT_MAX),
  repeat: z.number().int().min(SEND_REPEAT_RANGE.min).max(SEND_REPEAT_RANGE.max).default(1),
  /** Pause between repeats, after the previous one's ACK (or right after a raw write). */
  intervalMs: z.number().int().min(SEND_INTERVAL_MS_RANGE.min).max(SEND_INTERVAL_MS_RANGE.max).default(0),
  /** Server only: one client, or every client. Default: every client. */
  to: z.union([z.number().int().positive(), z.literal('all')]).optional(),
});

export const clientIdSchema = z.strictObject({ clientId: z.number().int().positive() });
export const autoAckSchema = z.strictObject({ on: z.boolean() });
export const copyTextSchema = z.strictObject({ text: z.string().max(1_000_000) });
export const externalUrlSchema = z.strictObject({ url: z.string().max(2048) });
export const noArgumentSchema = z.undefined();

/** Sent inputs, newest last. */
const historySchema = z.array(z.string().max(HISTORY_ENTRY_MAX)).max(HISTORY_LIMIT);

/** What the app remembers between runs (settings.json in the user data folder). */
export const settingsSchema = z.object({
  mode: z.enum(['client', 'server', 'serial']).default('client'),
  client: z
    .object({ host: hostSchema.default('127.0.0.1'), port: portSchema.min(1).default(DEFAULT_PORT) })
    .default({ host: '127.0.0.1', port: DEFAULT_PORT }),
  server: z
    .object({ bind: bindAddressSchema.default('127.0.0.1'), port: portSchema.default(DEFAULT_PORT) })
    .default({ bind: '127.0.0.1', port: DEFAULT_PORT }),
  serial: serialSettingsSchema.default(DEFAULT_SERIAL_SETTINGS),
  sendFormat: sendFormatSchema.default('text'),
  /** Keep sent inputs in this file between runs. Off by default: they can be private, and the file is plain text. */
  saveHistory: z.boolean().default(false),
  /** Sent inputs, newest last; always empty while saveHistory is off (settings-file.ts). */
  history: historySchema.default([]),
  language: z.enum(['system', 'en', 'ja']).default('system'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});

/** A change to some settings; each given part replaces the stored one. */
export const settingsPatchSchema = z.strictObject({
  mode: settingsSchema.shape.mode.unwrap().optional(),
  client: z.strictObject({ host: hostSchema, port: portSchema.min(1) }).optional(),
  server: z.strictObject({ bind: bindAddressSchema, port: portSchema }).optional(),
  serial: serialSettingsSchema.strict().optional(),
  sendFormat: sendFormatSchema.optional(),
  saveHistory: z.boolean().optional(),
  history: historySchema.optional(),
  language: settingsSchema.shape.language.unwrap().optional(),
  theme: settingsSchema.shape.theme.unwrap().optional(),
});

export type LinkConfig = z.output<typeof linkConfigSchema>;
export type LinkConfigInput = z.input<typeof linkConfigSchema>;
export type BindAddress = z.infer<typeof bindAddressSchema>;
export type SendRequestInput = z.input<typeof sendRequestSchema>;
export type SendRequest = z.output<typeof sendRequestSchema>;
export type Settings = z.output<typeof settingsSchema>;
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
