/**
 * A run request's arguments against its command's parameters: every value is hostile. Each
 * parameter must be given exactly once and fit its type; the result is the argv to spawn,
 * each argument ONE element (no shell ever sees it).
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { anchoredPattern, PLACEHOLDER } from '../../../../../shared/remote/commands-file.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';
import type { LoadedParam } from './commands-loader.ts';

/** Checked values by parameter name (a Map: a name like "__proto__" is only a name). */
export type CheckedArgs = Map<string, string>;

export function checkArguments(params: readonly LoadedParam[], given: ReadonlyArray<readonly [string, string]>): Result<CheckedArgs, string> {
  const byName = new Map(params.map((p) => [p.name, p]));
  const values: CheckedArgs = new Map();
  for (const [name, value] of given) {
    const param = byName.get(name);
    if (!param) return fail(`There is no parameter "${printable(name)}" (this command takes ${params.length ? params.map((p) => p.name).join(', ') : 'none'}).`);
    if (values.has(name)) return fail(`"${name}" is given twice.`);
    const checked = checkValue(param, value);
    if (!checked.ok) return fail(`"${name}": ${checked.error}`);
    values.set(name, checked.value);
  }
  const missing = params.filter((p) => !values.has(p.name)).map((p) => p.name);
  if (missing.length) return fail(`Missing: ${missing.join(', ')}.`);
  return ok(values);
}

/** The command's argv with each placeholder replaced by its checked value, as one element. */
export function buildArgv(template: readonly string[], values: CheckedArgs): string[] {
  return template.map((element) => {
    const placeholder = PLACEHOLDER.exec(element);
    return placeholder ? (values.get(placeholder[1]) as string) : element;
  });
}

function checkValue(param: LoadedParam, value: string): Result<string, string> {
  if (value.includes('\0')) return fail('contains a NUL character.');
  switch (param.type) {
    case 'string':
      // Length first: the pattern runs only on bounded input.
      if (value.length > param.maxLength) return fail(`is longer than ${param.maxLength} characters.`);
      return anchoredPattern(param.pattern).test(value) ? ok(value) : fail(`does not match the allowed pattern ${param.pattern}.`);
    case 'integer': {
      if (!/^-?\d{1,16}$/.test(value)) return fail('is not a whole number.');
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < param.min || n > param.max) return fail(`must be between ${param.min} and ${param.max}.`);
      return ok(String(n));
    }
    case 'enum':
      return param.values.includes(value) ? ok(value) : fail(`must be one of ${param.values.join(', ')}.`);
    case 'file':
      return fileInside(param.realFolder, value);
  }
}

/**
 * A path inside `folder`: relative, no `..` anywhere, and once every symlink is resolved still
 * inside the folder. The real path is what the command gets.
 */
export function fileInside(folder: string, value: string): Result<string, string> {
  if (value === '' || value.length > 4096) return fail('must be a path of 1 to 4096 characters.');
  if (isAbsolute(value) || /^[a-zA-Z]:/.test(value) || value.startsWith('\\')) return fail('must be relative to the allowed folder, not an absolute path.');
  if (value.split(/[\\/]/).includes('..')) return fail('must not contain "..".');
  let real: string;
  try {
    real = realpathSync(resolve(folder, value));
    statSync(real);
  } catch {
    return fail('no such file in the allowed folder.');
  }
  const inside = relative(folder, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return fail('leads outside the allowed folder (through a symlink).');
  return ok(real);
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 32);
}
