/**
 * Reads and checks a commands file at start (README "Remote control"): a missing or invalid
 * file is an error naming the file and the field, never a server that allows something else.
 * Folders in the file (cwd, file parameters, the files built-in) are resolved relative to the
 * file, with symlinks resolved, and must exist.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { checkCommandsFile, type CommandSpec, type CommandsFile, type ParamSpec } from '../../../../../shared/remote/commands-file.ts';
import { fail, ok, type Result } from '../../../../../shared/result.ts';

/** A file bigger than this is not a commands file (and is not read whole). */
const MAX_FILE_BYTES = 1 << 20;

/** A file parameter with its folder resolved to a real path. */
export type LoadedParam = Exclude<ParamSpec, { type: 'file' }> | (Extract<ParamSpec, { type: 'file' }> & { realFolder: string });

export interface LoadedCommand extends Omit<CommandSpec, 'params' | 'cwd'> {
  params: LoadedParam[];
  cwd: string;
}

/** The files built-ins' folder (builtins.files), resolved, and what may be done in it. */
export interface SharedFolder {
  realFolder: string;
  list: boolean;
  get: boolean;
  put: boolean;
  overwrite: boolean;
  maxPutBytes: number;
}

export interface LoadedCommands {
  /** Where it came from, for messages and the audit log's default place. */
  path: string;
  commands: LoadedCommand[];
  builtins: { systemInfo: boolean; files?: SharedFolder; workbench?: { sendMessage: boolean; servers: boolean } };
  runsPerMinute: number;
  maxConcurrent: number;
}

export function loadCommandsFile(path: string): Result<LoadedCommands, string> {
  const where = resolve(path);
  let text: string;
  try {
    if (statSync(where).size > MAX_FILE_BYTES) return fail(`The commands file ${where} is over ${MAX_FILE_BYTES} bytes: that is not a commands file.`);
    text = readFileSync(where, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    return fail(`Cannot read the commands file ${where}: ${why}.`);
  }
  if (extname(where).toLowerCase() !== '.json') return fail(`The commands file ${where} must be JSON (a .json file); see docs/examples/remote-commands.json.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`The commands file ${where} is not valid JSON: ${(error as Error).message}`);
  }
  const checked = checkCommandsFile(json);
  if (!checked.ok) return fail(`The commands file ${where} is invalid: ${checked.error}`);
  return resolveFolders(where, checked.value);
}

function resolveFolders(where: string, file: CommandsFile): Result<LoadedCommands, string> {
  const base = dirname(where);
  const folder = (field: string, relative: string): Result<string, string> => {
    try {
      const real = realpathSync(resolve(base, relative));
      if (!statSync(real).isDirectory()) return fail(`The commands file ${where} is invalid: ${field}: ${real} is not a folder.`);
      return ok(real);
    } catch {
      return fail(`The commands file ${where} is invalid: ${field}: the folder ${resolve(base, relative)} does not exist.`);
    }
  };
  const commands: LoadedCommand[] = [];
  for (const [i, command] of file.commands.entries()) {
    const cwd = folder(`commands[${i}].cwd`, command.cwd ?? '.');
    if (!cwd.ok) return cwd;
    const params: LoadedParam[] = [];
    for (const [j, param] of command.params.entries()) {
      if (param.type !== 'file') {
        params.push(param);
        continue;
      }
      const real = folder(`commands[${i}].params[${j}].folder`, param.folder);
      if (!real.ok) return real;
      params.push({ ...param, realFolder: real.value });
    }
    const { cwd: _cwd, params: _params, ...rest } = command;
    commands.push({ ...rest, params, cwd: cwd.value });
  }
  let files: LoadedCommands['builtins']['files'];
  if (file.builtins.files) {
    const real = folder('builtins.files.folder', file.builtins.files.folder);
    if (!real.ok) return real;
    const { folder: _folder, ...allowed } = file.builtins.files;
    files = { realFolder: real.value, ...allowed };
  }
  return ok({
    path: where,
    commands,
    builtins: { systemInfo: file.builtins.systemInfo, ...(files ? { files } : {}), ...(file.builtins.workbench ? { workbench: file.builtins.workbench } : {}) },
    runsPerMinute: file.runsPerMinute,
    maxConcurrent: file.maxConcurrent,
  });
}
