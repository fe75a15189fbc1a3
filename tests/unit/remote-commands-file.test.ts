/**
 * The commands file (shared/remote/commands-file.ts, commands-loader.ts): nothing allowed by
 * default, strict keys, placeholders only as whole argv elements, and errors that name the field.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommandsFile } from '../../shared/remote/commands-file.ts';
import { loadCommandsFile } from '../../electron/main/link/services/remote/commands-loader.ts';
import { buildArgv, checkArguments, fileInside } from '../../electron/main/link/services/remote/arguments.ts';
import { commandsFolder } from '../helpers/remote.ts';

const command = (extra: Record<string, unknown> = {}) => ({ name: 'echo', description: 'Echo.', argv: ['echo', '{text}'], params: [{ name: 'text', type: 'string', pattern: '[a-z]*', maxLength: 10 }], ...extra });
const errorOf = (value: unknown) => {
  const checked = checkCommandsFile(value);
  return checked.ok ? 'ok' : checked.error;
};

describe('commands file schema', () => {
  it('an empty file allows nothing; the shipped example is valid and allows echo and uptime', () => {
    const empty = checkCommandsFile({ version: 1 });
    expect(empty).toMatchObject({ ok: true, value: { commands: [], builtins: { systemInfo: false } } });
    const example = loadCommandsFile(new URL('../../docs/examples/remote-commands.json', import.meta.url).pathname);
    expect(example.ok && example.value.commands.map((c) => [c.name, c.argv])).toEqual([
      ['echo', ['echo', '{text}']],
      ['uptime', ['uptime']],
    ]);
  });

  it('refuses, naming the field: interpolation into a string, a placeholder as the program, unknown names, typos, bad patterns', () => {
    expect(errorOf({ version: 1, commands: [command({ argv: ['sh', '-c', 'echo {text}'] })] })).toMatch(/^commands\[0\]\.argv\[2\]: a placeholder must be a whole argv element/);
    expect(errorOf({ version: 1, commands: [command({ argv: ['{text}'] })] })).toMatch(/^commands\[0\]\.argv\[0\]: the program/);
    expect(errorOf({ version: 1, commands: [command({ argv: ['echo', '{other}'] })] })).toMatch(/"\{other\}" names no parameter/);
    expect(errorOf({ version: 1, commands: [command({ timout: 5 })] })).toMatch(/^commands\[0\]: .*timout/);
    expect(errorOf({ version: 1, commands: [command({ params: [{ name: 'text', type: 'string', pattern: '(', maxLength: 5 }] })] })).toMatch(/^commands\[0\]\.params\[0\]\.pattern: is not a valid regular expression/);
    expect(errorOf({ version: 1, commands: [command({ params: [{ name: 'text', type: 'string', pattern: 'a', maxLength: 100_000 }] })] })).toMatch(/^commands\[0\]\.params\[0\]\.maxLength/);
    expect(errorOf({ version: 1, commands: [command({ params: [{ name: 'text', type: 'integer', min: 5, max: 1 }] })] })).toMatch(/max: min must not be more than max/);
    expect(errorOf({ version: 1, commands: [command({ params: [] })] })).toMatch(/names no parameter/);
    expect(errorOf({ version: 1, commands: [command({ argv: ['echo'] })] })).toMatch(/"text" is not used in argv/);
    expect(errorOf({ version: 1, commands: [command(), command()] })).toMatch(/^commands\[1\]\.name: "echo" is used twice/);
    expect(errorOf({ version: 1, commands: [command({ name: 'system-info' })] })).toMatch(/built-in/);
    expect(errorOf({ version: 1, commands: [command({ timeoutSeconds: 0 })] })).toMatch(/^commands\[0\]\.timeoutSeconds/);
    expect(errorOf({ version: 1, commands: [command({ maxOutputBytes: 10 ** 9 })] })).toMatch(/^commands\[0\]\.maxOutputBytes/);
    expect(errorOf({ version: 2 })).toMatch(/^version/);
    expect(errorOf([])).toMatch(/^\(the file\)/);
  });

  it('the loader: a missing file, bad JSON, a missing folder are clear errors', () => {
    const { dir, file } = commandsFolder({ version: 1, commands: [command({ params: [{ name: 'text', type: 'file', folder: 'nope' }] })] });
    expect(loadCommandsFile(join(dir, 'absent.json'))).toMatchObject({ ok: false, error: expect.stringMatching(/Cannot read the commands file .*absent\.json: no such file/) });
    expect(loadCommandsFile(file)).toMatchObject({ ok: false, error: expect.stringMatching(/commands\[0\]\.params\[0\]\.folder: the folder .*nope does not exist/) });
    writeFileSync(file, '{ "version": 1, ');
    expect(loadCommandsFile(file)).toMatchObject({ ok: false, error: expect.stringMatching(/is not valid JSON/) });
  });
});

describe('arguments', () => {
  it('each value becomes one argv element; NUL and unknown names are refused', () => {
    const params = [{ name: 'text', description: '', type: 'string' as const, pattern: '[\\s\\S]*', maxLength: 50 }];
    const checked = checkArguments(params, [['text', 'a b; c $(d)']]);
    expect(checked.ok && buildArgv(['echo', '-n', '{text}'], checked.value)).toEqual(['echo', '-n', 'a b; c $(d)']);
    expect(checkArguments(params, [['text', 'a\0b']])).toMatchObject({ ok: false, error: expect.stringMatching(/NUL/) });
    expect(checkArguments(params, [['__proto__', 'x']])).toMatchObject({ ok: false, error: expect.stringMatching(/no parameter "__proto__"/) });
    expect(checkArguments(params, [['text', 'a'], ['text', 'b']])).toMatchObject({ ok: false, error: expect.stringMatching(/twice/) });
  });

  it('the pattern is anchored: a value with a good prefix and a bad tail is refused', () => {
    const params = [{ name: 'n', description: '', type: 'string' as const, pattern: '[0-9]+', maxLength: 50 }];
    expect(checkArguments(params, [['n', '123']]).ok).toBe(true);
    expect(checkArguments(params, [['n', '123; rm -rf /']]).ok).toBe(false);
    expect(checkArguments(params, [['n', 'x123']]).ok).toBe(false);
    // An alternation cannot escape the anchors either.
    const alt = [{ name: 'n', description: '', type: 'string' as const, pattern: 'a|b', maxLength: 50 }];
    expect(checkArguments(alt, [['n', 'a; x']]).ok).toBe(false);
  });

  it('fileInside: a symlinked folder inside is fine, a name starting with ".." is not a parent', () => {
    const { dir } = commandsFolder({});
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', '..data'), '');
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    expect(fileInside(dir, 'alias/..data')).toMatchObject({ ok: true, value: join(dir, 'real', '..data') });
    expect(fileInside(dir, 'real/../real/..data')).toMatchObject({ ok: false });
    expect(fileInside(dir, '/etc/passwd')).toMatchObject({ ok: false, error: expect.stringMatching(/absolute/) });
    expect(fileInside(dir, 'C:\\Windows')).toMatchObject({ ok: false, error: expect.stringMatching(/absolute/) });
  });

  it('builtins.files: get, put and overwrite are off by default; maxPutBytes is bounded; get-file and put-file are reserved names', () => {
    const checked = checkCommandsFile({ version: 1, builtins: { files: { folder: 'shared' } } });
    expect(checked).toMatchObject({ ok: true, value: { builtins: { files: { list: false, get: false, put: false, overwrite: false, maxPutBytes: 100 * 1024 * 1024 } } } });
    expect(checkCommandsFile({ version: 1, builtins: { files: { folder: 's', put: true, maxPutBytes: -1 } } })).toMatchObject({ ok: false, error: expect.stringMatching(/builtins\.files\.maxPutBytes/) });
    expect(checkCommandsFile({ version: 1, builtins: { files: { folder: 's', putt: true } } })).toMatchObject({ ok: false, error: expect.stringMatching(/putt/) });
    expect(checkCommandsFile({ version: 1, commands: [{ name: 'get-file', description: 'x', argv: ['cat'] }] })).toMatchObject({ ok: false, error: expect.stringMatching(/built-in/) });
  });
});
