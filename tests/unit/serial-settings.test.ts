import { describe, expect, it } from 'vitest';
import { serialOpenError, serialSignalsError } from '../../electron/main/link/serial-errors.ts';
import { SERIAL_PRESETS, findSerialPreset } from '../../electron/main/link/serial-presets.ts';
import { checkSerialSettings, describeLine, serialCapabilities } from '../../electron/main/link/serial-settings.ts';

const path = '/dev/ttyUSB0';

describe('serial settings', () => {
  it('fills in 9600 8N1, no flow control, when only the port is given', () => {
    const checked = checkSerialSettings({ path }, 'linux');
    expect(checked).toEqual({
      ok: true,
      value: { path, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    });
  });

  it.each([300, 9600, 921600, 31250, 250000])('accepts %d baud (standard or custom)', (baudRate) => {
    expect(checkSerialSettings({ path, baudRate }, 'linux').ok).toBe(true);
  });

  it('accepts what Windows can do: mark and space parity, 1.5 stop bits with 5 data bits', () => {
    expect(checkSerialSettings({ path: 'COM3', parity: 'mark' }, 'win32').ok).toBe(true);
    expect(checkSerialSettings({ path: 'COM3', parity: 'space', dataBits: 7 }, 'win32').ok).toBe(true);
    expect(checkSerialSettings({ path: 'COM3', stopBits: 1.5, dataBits: 5 }, 'win32').ok).toBe(true);
  });

  it.each([
    [{ baudRate: 0 }, 'linux', /Baud rate 0 is not possible/],
    [{ baudRate: 9600.5 }, 'linux', /whole number/],
    [{ baudRate: 10_000_000 }, 'linux', /from 50 to 4000000/],
    [{ dataBits: 9 }, 'linux', /Data bits must be 5, 6, 7 or 8, not 9/],
    [{ parity: 'sometimes' }, 'linux', /Parity must be none, even, odd, mark or space/],
    [{ stopBits: 3 }, 'linux', /Stop bits must be 1, 1.5 or 2/],
    [{ flowControl: 'dsr-dtr' }, 'linux', /Flow control must be none, rts-cts or xon-xoff/],
    [{ parity: 'mark' }, 'linux', /^Mark parity is not supported on Linux: use none, even or odd\.$/],
    [{ parity: 'space' }, 'darwin', /^Space parity is not supported on macOS/],
    [{ stopBits: 1.5, dataBits: 5 }, 'linux', /^1\.5 stop bits are not supported on Linux: use 1 or 2\.$/],
    [{ stopBits: 1.5 }, 'win32', /1\.5 stop bits work only with 5 data bits/],
    [{ stopBits: 2, dataBits: 5 }, 'win32', /5 data bits cannot have 2 stop bits/],
    [{ flowControl: 'rts-cts', rts: false }, 'linux', /RTS is driven by RTS\/CTS flow control/],
  ])('refuses %j on %s with a sentence saying what to do', (change, platform, message) => {
    const checked = checkSerialSettings({ path, ...(change as object) }, platform as NodeJS.Platform);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('LINK_ERR_UNSUPPORTED_SETTING');
      expect(checked.error.message).toMatch(message);
    }
  });

  it('refuses an empty port name', () => {
    const checked = checkSerialSettings({ path: ' ' }, 'linux');
    expect(!checked.ok && checked.error.message).toBe('No serial port given: say which port to open.');
  });

  it('tells a form which parities and stop bits this platform offers', () => {
    expect(serialCapabilities('linux')).toEqual({ platformName: 'Linux', parities: ['none', 'even', 'odd'], stopBits: [1, 2] });
    expect(serialCapabilities('win32').parities).toContain('mark');
  });

  it('writes line settings the way people do', () => {
    expect(describeLine({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' })).toBe('9600 8N1');
    expect(describeLine({ baudRate: 19200, dataBits: 7, parity: 'even', stopBits: 2, flowControl: 'rts-cts' })).toBe('19200 7E2 RTS/CTS');
  });
});

describe('serial presets', () => {
  it('"FreeDOS / retro PC" is 9600 8N1 with no flow control, a pause between packets and a packet size limit', () => {
    const preset = findSerialPreset('freedos');
    expect(preset?.name).toBe('FreeDOS / retro PC');
    expect(describeLine(preset!.line)).toBe('9600 8N1');
    expect(preset!.packetGapMs).toBeGreaterThan(0);
    expect(preset!.maxPacketSize).toBe(1024);
  });

  it('every preset passes the settings check on every platform', () => {
    for (const preset of SERIAL_PRESETS) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        expect(checkSerialSettings({ path, ...preset.line }, platform).ok, `${preset.id} on ${platform}`).toBe(true);
      }
    }
  });

  it('an unknown preset name finds nothing', () => {
    expect(findSerialPreset('amiga')).toBeUndefined();
  });
});

describe('serial port errors: what the bindings say, turned into a code and a sentence', () => {
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB0', 'linux', 'LINK_ERR_PORT_NOT_FOUND', /does not exist: check the name/],
    ['Opening COM7: File not found', 'win32', 'LINK_ERR_PORT_NOT_FOUND', /does not exist/],
    ["Port does not exist - please call MockBinding.createPort('/x') first", 'linux', 'LINK_ERR_PORT_NOT_FOUND', /does not exist/],
    ['Error Resource temporarily unavailable Cannot lock port', 'linux', 'LINK_ERR_PORT_BUSY', /busy: another program has it open/],
    ['Opening COM3: Access denied', 'win32', 'LINK_ERR_PORT_BUSY', /in use by another program/],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'linux', 'LINK_ERR_PORT_PERMISSION', /dialout group \(sudo usermod -aG dialout \$USER/],
    ['Error: Permission denied, cannot open /dev/cu.usbserial', 'darwin', 'LINK_ERR_PORT_PERMISSION', /^Permission denied for serial port \/dev\/ttyUSB0: this user may not open it\.$/],
    ['Error: Inappropriate ioctl for device setting custom baud rate of 9600', 'linux', 'LINK_ERR_PORT_NOT_FOUND', /is not a serial port/],
    ['Error: Invalid argument setting custom baud rate of 31250', 'linux', 'LINK_ERR_UNSUPPORTED_SETTING', /refused these settings \(Invalid argument setting custom baud rate of 31250\)/],
    ['Invalid stop bits setting 2', 'linux', 'LINK_ERR_UNSUPPORTED_SETTING', /refused these settings/],
    ['Something new went wrong', 'linux', 'LINK_ERR_IO', /^Serial port \/dev\/ttyUSB0: Something new went wrong$/],
  ])('%s (%s) -> %s', (message, platform, code, text) => {
    const error = serialOpenError(new Error(message), path, platform as NodeJS.Platform);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(text);
  });

  it('a virtual port without modem lines says DTR and RTS cannot be switched', () => {
    const error = serialSignalsError(new Error('Error: Inappropriate ioctl for device, cannot set'), '/dev/pts/3');
    expect(error).toEqual({
      code: 'LINK_ERR_UNSUPPORTED_SETTING',
      message: 'Serial port /dev/pts/3 has no modem control lines (a virtual port?): DTR and RTS cannot be switched.',
    });
  });
});
