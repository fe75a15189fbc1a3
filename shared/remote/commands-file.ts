/**
 * The commands file: what the owner of a controlled machine allows a remote controller to run
 * (README "Remote control"). Nothing is allowed unless listed here. Every object is strict, so
 * a misspelt key ("timout") is an error naming it rather than a silently ignored limit.
 *
 * An argv element is either literal text or exactly one placeholder "{param}", replaced by that
 * argument as ONE argv element: there is no interpolation into a string and no shell.
 */
import { z } from 'zod';
import { FILE_TRANSFER_LIMITS, REMOTE_DEFAULTS, REMOTE_LIMITS } from '../limits.ts';

/** Command and parameter names: short, lowercase, safe to show and to type as `--arg name=value`. */
export const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
const name = z.string().regex(NAME_PATTERN, 'must be 1-32 characters: a-z first, then a-z, 0-9, _ or -');
const description = z.string().max(500).default('');

/** `{text}` as a whole argv element: the placeholder for the parameter `text`. */
export const PLACEHOLDER = /^\{([a-z][a-z0-9_-]{0,31})\}$/;

/** The names of the built-in commands (electron/main/link/services/remote/builtins.ts); a file cannot reuse them. */
export const BUILTIN_NAMES = ['system-info', 'list-files', 'get-file', 'put-file', 'send-message', 'start-server', 'stop-server'] as const;

const stringParam = z
  .object({
    name,
    description,
    type: z.literal('string'),
    /** A regular expression the WHOLE value must match (it is anchored for you). */
    pattern: z
      .string()
      .min(1)
      .max(500)
      .refine((p) => compiles(p), 'is not a valid regular expression'),
    maxLength: z.number().int().min(1).max(REMOTE_LIMITS.maxStringParam),
  })
  .strict();

const integerParam = z
  .object({
    name,
    description,
    type: z.literal('integer'),
    min: z.number().int().min(Number.MIN_SAFE_INTEGER),
    max: z.number().int().max(Number.MAX_SAFE_INTEGER),
  })
  .strict()
  .refine((p) => p.min <= p.max, { message: 'min must not be more than max', path: ['max'] });

const enumParam = z
  .object({
    name,
    description,
    type: z.literal('enum'),
    values: z.array(z.string().min(1).max(100)).min(1).max(REMOTE_LIMITS.maxEnumValues),
  })
  .strict()
  .refine((p) => new Set(p.values).size === p.values.length, { message: 'values must not repeat', path: ['values'] });

const fileParam = z
  .object({
    name,
    description,
    type: z.literal('file'),
    /** The folder the file must be inside (after resolving symlinks); relative to the commands file. */
    folder: z.string().min(1).max(4096),
  })
  .strict();

export const paramSchema = z.union([stringParam, integerParam, enumParam, fileParam]);

const commandSchema = z
  .object({
    name,
    description: z.string().min(1).max(500),
    argv: z.array(z.string().min(1).max(4096)).min(1).max(64),
    params: z.array(paramSchema).max(REMOTE_LIMITS.maxParams).default([]),
    timeoutSeconds: z.number().int().min(REMOTE_LIMITS.timeoutSeconds.min).max(REMOTE_LIMITS.timeoutSeconds.max).default(REMOTE_DEFAULTS.timeoutSeconds),
    maxOutputBytes: z.number().int().min(REMOTE_LIMITS.maxOutputBytes.min).max(REMOTE_LIMITS.maxOutputBytes.max).default(REMOTE_DEFAULTS.maxOutputBytes),
    /** Ask the controlled machine's user before each run. */
    confirm: z.boolean().default(false),
    /** Working folder (relative to the commands file); the commands file's folder when left out. */
    cwd: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .superRefine((command, ctx) => {
    const declared = new Set<string>();
    command.params.forEach((param, i) => {
      if (declared.has(param.name)) ctx.addIssue({ code: 'custom', path: ['params', i, 'name'], message: `"${param.name}" is declared twice` });
      declared.add(param.name);
    });
    const used = new Set<string>();
    command.argv.forEach((element, i) => {
      const placeholder = PLACEHOLDER.exec(element);
      if (placeholder) {
        if (i === 0) ctx.addIssue({ code: 'custom', path: ['argv', 0], message: 'the program (argv[0]) must be fixed text, not a parameter' });
        else if (!declared.has(placeholder[1])) ctx.addIssue({ code: 'custom', path: ['argv', i], message: `"{${placeholder[1]}}" names no parameter in params` });
        used.add(placeholder[1]);
      } else if (/[{}]/.test(element)) {
        ctx.addIssue({
          code: 'custom',
          path: ['argv', i],
          message: 'a placeholder must be a whole argv element, like "{text}": values are never put into a longer string',
        });
      }
    });
    command.params.forEach((param, i) => {
      if (!used.has(param.name)) ctx.addIssue({ code: 'custom', path: ['params', i, 'name'], message: `"${param.name}" is not used in argv` });
    });
  });

export const builtinsSchema = z
  .object({
    /** `system-info`: OS, host name, uptime, load, memory (no environment, no user names). */
    systemInfo: z.boolean().default(false),
    /**
     * One shared folder (relative to the commands file) and what a controller may do in it:
     * `list-files` lists it, `get-file` sends one of its files to the controller, `put-file`
     * takes one file from the controller into it (both by MSP file transfer on the same session).
     */
    files: z
      .object({
        folder: z.string().min(1).max(4096),
        list: z.boolean().default(false),
        get: z.boolean().default(false),
        put: z.boolean().default(false),
        /** put-file may replace a file of the same name; otherwise the new one is saved as `name (1).ext`. */
        overwrite: z.boolean().default(false),
        /** The largest file put-file takes (bytes). */
        maxPutBytes: z.number().int().min(0).max(FILE_TRANSFER_LIMITS.defaultMaxFileSize).default(REMOTE_DEFAULTS.maxPutBytes),
      })
      .strict()
      .optional(),
    /** The workbench's own actions: `send-message` (plain MSP), `start-server` / `stop-server` (a plain responder here). */
    workbench: z
      .object({ sendMessage: z.boolean().default(false), servers: z.boolean().default(false) })
      .strict()
      .optional(),
  })
  .strict()
  .default({ systemInfo: false });

export const commandsFileSchema = z
  .object({
    version: z.literal(1),
    commands: z.array(commandSchema).max(REMOTE_LIMITS.maxCommands).default([]),
    builtins: builtinsSchema,
    /** Runs per minute from one peer address (IPv6: its /64). */
    runsPerMinute: z.number().int().min(REMOTE_LIMITS.runsPerMinute.min).max(REMOTE_LIMITS.runsPerMinute.max).default(REMOTE_DEFAULTS.runsPerMinute),
    /** Commands running at once, all peers together. */
    maxConcurrent: z.number().int().min(REMOTE_LIMITS.maxConcurrent.min).max(REMOTE_LIMITS.maxConcurrent.max).default(REMOTE_DEFAULTS.maxConcurrent),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>(BUILTIN_NAMES);
    file.commands.forEach((command, i) => {
      if (seen.has(command.name)) {
        const why = (BUILTIN_NAMES as readonly string[]).includes(command.name) ? 'is the name of a built-in command' : 'is used twice';
        ctx.addIssue({ code: 'custom', path: ['commands', i, 'name'], message: `"${command.name}" ${why}` });
      }
      seen.add(command.name);
    });
  });

export type CommandsFile = z.infer<typeof commandsFileSchema>;
export type CommandSpec = CommandsFile['commands'][number];
export type ParamSpec = z.infer<typeof paramSchema>;

/** Checks a parsed commands file; the error names the field: `commands[0].params[1].pattern: is not a valid regular expression`. */
export function checkCommandsFile(value: unknown): { ok: true; value: CommandsFile } | { ok: false; error: string } {
  const parsed = commandsFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  return { ok: false, error: `${fieldPath(issue.path) || '(the file)'}: ${issue.message}${more}` };
}

/** The anchored form of a string parameter's pattern: the whole value must match. */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function compiles(pattern: string): boolean {
  try {
    anchoredPattern(pattern);
    return true;
  } catch {
    return false;
  }
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}
