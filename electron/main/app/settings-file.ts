/**
 * Settings in a JSON file in the user data folder. A file that cannot be used never
 * stops the app: it is set aside, defaults are loaded and the renderer shows why.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppError } from '../../../shared/result.ts';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../shared/ipc/schemas.ts';

export interface LoadedSettings {
  settings: Settings;
  warning?: AppError;
}

export class SettingsFile {
  private current: Settings = DEFAULT_SETTINGS;
  /** Writes run one after another so an older one never lands last. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  get settings(): Settings {
    return this.current;
  }

  async load(): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      this.current = DEFAULT_SETTINGS;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: this.current };
      return { settings: this.current, warning: unreadable(this.path, error) };
    }
    const parsed = parseSettings(text);
    if (parsed.ok) {
      this.current = parsed.settings;
      // A file from before the setting existed (or edited by hand) may hold a history that should not be there.
      if (!this.current.saveHistory && this.current.history.length > 0) await this.save({}).catch(() => {});
      return { settings: this.current };
    }
    this.current = DEFAULT_SETTINGS;
    const keptAs = `${this.path}.corrupt`;
    const kept = await rename(this.path, keptAs).then(
      () => true,
      () => false,
    );
    return {
      settings: this.current,
      warning: {
        code: 'SETTINGS_ERR_CORRUPT',
        message:
          `Your settings could not be read (${parsed.reason}), so the defaults are in use.` +
          (kept ? ` The damaged file was kept as ${keptAs}.` : ''),
      },
    };
  }

  /**
   * Applies a change and writes the whole file (to a temporary file first, then renamed over).
   * With saveHistory off the history is never written, and turning it off erases the saved one.
   */
  async save(patch: SettingsPatch): Promise<Settings> {
    const merged = settingsSchema.parse({ ...this.current, ...patch });
    const next = merged.saveHistory ? merged : { ...merged, history: [] };
    this.current = next;
    const write = async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.tmp`;
      await writeFile(temporary, JSON.stringify(next, null, 2) + '\n', 'utf8');
      await rename(temporary, this.path);
    };
    const done = this.writing.then(write, write);
    this.writing = done.catch(() => {});
    await done;
    return next;
  }
}

export function parseSettings(text: string): { ok: true; settings: Settings } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not valid JSON' };
  }
  const result = settingsSchema.safeParse(json);
  if (result.success) return { ok: true, settings: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the file';
  return { ok: false, reason: `${where}: ${issue.message}` };
}

function unreadable(path: string, error: unknown): AppError {
  const detail = (error as Error).message ?? String(error);
  return {
    code: 'SETTINGS_ERR_UNREADABLE',
    message: `Your settings file ${path} could not be opened (${detail}), so the defaults are in use.`,
  };
}
