/** The serial part of the IPC contract: what the router lets through to the backend, and what settings keep. */
import { describe, expect, it } from 'vitest';
import { CUSTOM_BAUD_RANGE, DATA_BITS, FLOW_CONTROLS, PARITIES, STOP_BITS } from '../../electron/main/link/serial-settings.ts';
import { createRequestRouter } from '../../electron/main/ipc/router.ts';
import type { RequestHandlers } from '../../electron/main/ipc/handlers.ts';
import { ok } from '../../shared/ipc/result.ts';
import { settingsPatchSchema, settingsSchema } from '../../shared/ipc/schemas.ts';
import {
  DEFAULT_SERIAL_SETTINGS,
  SERIAL_BAUD_RANGE,
  SERIAL_DATA_BITS,
  SERIAL_FLOW_CONTROLS,
  SERIAL_PARITIES,
  SERIAL_STOP_BITS,
  serialOpenSchema,
  serialSignalsSchema,
} from '../../shared/ipc/serial.ts';

const GOOD = { path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'responder' } as const;

describe('serial IPC schemas', () => {
  it('mirror the link layer\'s lists and baud range exactly', () => {
    expect([...SERIAL_DATA_BITS]).toEqual([...DATA_BITS]);
    expect([...SERIAL_PARITIES]).toEqual([...PARITIES]);
    expect([...SERIAL_STOP_BITS]).toEqual([...STOP_BITS]);
    expect([...SERIAL_FLOW_CONTROLS]).toEqual([...FLOW_CONTROLS]);
    expect(SERIAL_BAUD_RANGE).toEqual(CUSTOM_BAUD_RANGE);
  });

  it('serial.open fills in gentle-sending defaults and keeps what was given', () => {
    expect(serialOpenSchema.parse(GOOD)).toEqual({ ...GOOD, packetGapMs: 0, maxPacketSize: 65_535, reopen: false });
    expect(serialOpenSchema.parse({ ...GOOD, path: ' COM3 ', stopBits: 1.5, dataBits: 5, dtr: false })).toMatchObject({ path: 'COM3', stopBits: 1.5, dtr: false });
  });

  it.each([
    ['an empty path', { path: '  ' }],
    ['a path with a newline', { path: '/dev/tty\nUSB0' }],
    ['a path with NUL', { path: '/dev/tty\u0000' }],
    ['a baud rate below 50', { baudRate: 49 }],
    ['a baud rate above 4,000,000', { baudRate: 4_000_001 }],
    ['a fractional baud rate', { baudRate: 9600.5 }],
    ['9 data bits', { dataBits: 9 }],
    ['an unknown parity', { parity: 'sometimes' }],
    ['3 stop bits', { stopBits: 3 }],
    ['unknown flow control', { flowControl: 'dsr-dtr' }],
    ['an unknown role', { role: 'bridge' }],
    ['a packet smaller than a header', { maxPacketSize: 6 }],
    ['a negative pause', { packetGapMs: -1 }],
    ['an unknown field', { password: 'x' }],
  ])('serial.open refuses %s', (_what, change) => {
    expect(serialOpenSchema.safeParse({ ...GOOD, ...change }).success).toBe(false);
  });

  it('serial.open takes a password choice: v3, and msp-secure.py clients only when asked for (default off)', () => {
    const parsed = serialOpenSchema.parse({ ...GOOD, security: { password: { source: 'typed', value: 'pw' } } });
    expect(parsed.security).toEqual({ password: { source: 'typed', value: 'pw', remember: false }, scheme: 'v3', allowLegacy: false });
    expect(serialOpenSchema.parse(GOOD).security).toBeUndefined();
  });

  it.each([
    ['TLS (not on serial)', { tls: {} }],
    ['TLS as a server asks for it', { tls: true }],
    ['an empty typed password', { password: { source: 'typed', value: '' } }],
    ['an unknown password source', { password: { source: 'env' } }],
    ['an unknown scheme', { scheme: 'aes' }],
    ['allowLegacy as text', { allowLegacy: 'yes' }],
    ['a password not inside a choice', { password: 'pw' }],
  ])('serial.open refuses bad security: %s', (_what, security) => {
    expect(serialOpenSchema.safeParse({ ...GOOD, security }).success).toBe(false);
  });

  it('serial.setSignals needs at least one line, and only booleans', () => {
    expect(serialSignalsSchema.safeParse({ dtr: true }).success).toBe(true);
    expect(serialSignalsSchema.safeParse({ rts: false }).success).toBe(true);
    expect(serialSignalsSchema.safeParse({}).success).toBe(false);
    expect(serialSignalsSchema.safeParse({ dtr: 'on' }).success).toBe(false);
  });

  it('settings keep the serial choices, with defaults for a file from before serial existed', () => {
    expect(settingsSchema.parse({ mode: 'client' }).serial).toEqual(DEFAULT_SERIAL_SETTINGS);
    const patch = { mode: 'serial', serial: { ...DEFAULT_SERIAL_SETTINGS, path: '/dev/ttyS0', baudRate: 2400 } } as const;
    expect(settingsPatchSchema.parse(patch).serial?.baudRate).toBe(2400);
    expect(settingsPatchSchema.safeParse({ serial: { ...DEFAULT_SERIAL_SETTINGS, extra: 1 } }).success).toBe(false);
  });

  it('the router refuses a bad serial.open with IPC_ERR_BAD_ARGUMENT and never calls the backend', async () => {
    const called: unknown[] = [];
    const handlers = { 'serial.open': (arg: unknown) => (called.push(arg), ok(null)) } as unknown as RequestHandlers;
    const route = createRequestRouter(handlers);
    const refused = await route('serial.open', { ...GOOD, baudRate: 'fast' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'IPC_ERR_BAD_ARGUMENT' } });
    expect(called).toEqual([]);
    expect(await route('serial.open', GOOD)).toEqual(ok(null));
    expect(called).toHaveLength(1);
  });
});
