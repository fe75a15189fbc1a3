/** The serial part of the IPC contract: what the router lets through to the backend, and what settings keep. */
import { describe, expect, it } from 'vitest';
import { checkSerialSettings } from '../../electron/main/link/serial-settings.ts';
import { BAUD_RATE_RANGE } from '../../shared/limits.ts';
import { DATA_BITS, FLOW_CONTROLS, PARITIES, STOP_BITS } from '../../shared/serial/options.ts';
import { createRequestRouter } from '../../electron/main/ipc/router.ts';
import type { RequestHandlers } from '../../electron/main/ipc/handlers.ts';
import { ok } from '../../shared/result.ts';
import { settingsPatchSchema, settingsSchema } from '../../shared/ipc/schemas.ts';
import {
  DEFAULT_SERIAL_SETTINGS,
  serialOpenSchema,
  serialSignalsSchema,
} from '../../shared/ipc/serial.ts';

const GOOD = { path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'responder' } as const;

describe('serial IPC schemas', () => {
  it('accept exactly the shared option lists and baud range, as the link layer\'s check does', () => {
    for (const dataBits of DATA_BITS) expect(serialOpenSchema.safeParse({ ...GOOD, dataBits, stopBits: 1 }).success).toBe(true);
    for (const parity of PARITIES) expect(serialOpenSchema.safeParse({ ...GOOD, parity }).success).toBe(true);
    for (const stopBits of STOP_BITS) expect(serialOpenSchema.safeParse({ ...GOOD, stopBits }).success).toBe(true);
    for (const flowControl of FLOW_CONTROLS) expect(serialOpenSchema.safeParse({ ...GOOD, flowControl }).success).toBe(true);
    expect(serialOpenSchema.safeParse({ ...GOOD, dataBits: 9 }).success).toBe(false);
    for (const baudRate of [BAUD_RATE_RANGE.min, BAUD_RATE_RANGE.max]) {
      expect(serialOpenSchema.safeParse({ ...GOOD, baudRate }).success).toBe(true);
      expect(checkSerialSettings({ path: '/dev/x', baudRate }, 'win32').ok).toBe(true);
    }
    for (const baudRate of [BAUD_RATE_RANGE.min - 1, BAUD_RATE_RANGE.max + 1]) {
      expect(serialOpenSchema.safeParse({ ...GOOD, baudRate }).success).toBe(false);
      expect(checkSerialSettings({ path: '/dev/x', baudRate }, 'win32').ok).toBe(false);
    }
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

  it('serial.open takes a password choice: v3, and msp-secure.py clients refused unless ticked', () => {
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
