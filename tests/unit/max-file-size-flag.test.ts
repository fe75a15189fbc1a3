/** `--max-file-size` takes the same K/M/G sizes in `--mode server` and `--mode receive` (one parser, shared/size.ts). */
import { describe, expect, it } from 'vitest';
import { parseModemCommandLine, ModemUsageError } from '../../electron/cli/modem-args.ts';
import { parseTransferFlags } from '../../electron/cli/transfer-args.ts';

const receive = (size: string) => parseModemCommandLine(['--mode', 'receive', '--port', '2323', '--protocol', 'zmodem', '--receive-dir', 'in', '--max-file-size', size]).maxFileSize;
const server = (size: string) => {
  const parsed = parseTransferFlags({ 'receive-dir': 'in', 'max-file-size': size }, 'server');
  return parsed.ok ? parsed.value.maxFileSize : undefined;
};

describe('--max-file-size', () => {
  it.each([
    ['1048576', 1048576],
    ['500K', 500 * 1024],
    ['500k', 500 * 1024],
    ['2M', 2 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
  ])('%s is %d bytes in both modes', (text, bytes) => {
    expect(receive(text)).toBe(bytes);
    expect(server(text)).toBe(bytes);
  });

  it.each(['lots', '1.5M', '-1', '2T', ''])('"%s" is refused in both modes', (text) => {
    expect(() => receive(text)).toThrow(ModemUsageError);
    expect(server(text)).toBeUndefined();
  });

  it('0 is refused by receive (a file of no bytes could never be larger)', () => {
    expect(() => receive('0')).toThrow(/1 or more/);
  });
});
