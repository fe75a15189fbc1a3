import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsFile } from '../../electron/main/app/settings-file.ts';
import { DEFAULT_SETTINGS } from '../../shared/ipc/schemas.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'msp-settings-')), 'settings.json');

describe('settings in the user data folder', () => {
  it('first run: defaults, no warning', async () => {
    const file = new SettingsFile(fresh());
    expect(await file.load()).toEqual({ settings: DEFAULT_SETTINGS });
    expect(DEFAULT_SETTINGS).toMatchObject({ mode: 'client', client: { host: '127.0.0.1', port: 9009 }, server: { bind: '127.0.0.1' } });
  });

  it('mode, host, port and (when the user turned saving on) history survive a restart', async () => {
    const path = fresh();
    await new SettingsFile(path).save({ mode: 'server', server: { bind: '0.0.0.0', port: 9100 }, saveHistory: true, history: ['Hello MSP', 'AA 55'] });
    const again = await new SettingsFile(path).load();
    expect(again.warning).toBeUndefined();
    expect(again.settings).toMatchObject({ mode: 'server', server: { bind: '0.0.0.0', port: 9100 }, history: ['Hello MSP', 'AA 55'] });
    expect(again.settings.client).toEqual(DEFAULT_SETTINGS.client);
  });

  it('sent messages are not written by default', async () => {
    const path = fresh();
    expect(DEFAULT_SETTINGS.saveHistory).toBe(false);
    const file = new SettingsFile(path);
    expect((await file.save({ history: ['my secret message'] })).history).toEqual([]);
    expect(readFileSync(path, 'utf8')).not.toContain('my secret message');
    expect((await new SettingsFile(path).load()).settings.history).toEqual([]);
  });

  it('turning saving off erases the saved history from the file', async () => {
    const path = fresh();
    const file = new SettingsFile(path);
    await file.save({ saveHistory: true, history: ['my secret message'] });
    expect(readFileSync(path, 'utf8')).toContain('my secret message');
    await file.save({ saveHistory: false });
    expect(readFileSync(path, 'utf8')).not.toContain('my secret message');
    // A late history save from the renderer does not bring it back.
    await file.save({ history: ['another'] });
    expect(readFileSync(path, 'utf8')).not.toMatch(/my secret message|another/);
  });

  it('a file from before the setting, with a history in it: the history is dropped and erased on load', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ mode: 'server', history: ['old secret'] }));
    const loaded = await new SettingsFile(path).load();
    expect(loaded.warning).toBeUndefined();
    expect(loaded.settings).toMatchObject({ mode: 'server', saveHistory: false, history: [] });
    expect(readFileSync(path, 'utf8')).not.toContain('old secret');
  });

  it('a corrupt file: defaults and a warning saying what happened, the damaged file kept aside', async () => {
    const path = fresh();
    writeFileSync(path, '{"mode": "server", "client": {');
    const loaded = await new SettingsFile(path).load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.warning).toEqual({
      code: 'SETTINGS_ERR_CORRUPT',
      message: `Your settings could not be read (it is not valid JSON), so the defaults are in use. The damaged file was kept as ${path}.corrupt.`,
    });
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toContain('"mode"');
    expect(existsSync(path)).toBe(false);
  });

  it('valid JSON with a wrong value is corrupt too, and names the field', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ mode: 'server', client: { host: '127.0.0.1', port: 99999 } }));
    const loaded = await new SettingsFile(path).load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.warning?.message).toMatch(/"client\.port"/);
  });

  it('a file from an older version with fewer fields keeps what it has', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ mode: 'server' }));
    const loaded = await new SettingsFile(path).load();
    expect(loaded).toEqual({ settings: { ...DEFAULT_SETTINGS, mode: 'server' } });
  });

  it('saving after a corrupt load writes a good file', async () => {
    const path = fresh();
    writeFileSync(path, 'garbage');
    const file = new SettingsFile(path);
    await file.load();
    await file.save({ language: 'ja' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, language: 'ja' });
  });

  it('concurrent saves land in order', async () => {
    const path = fresh();
    const file = new SettingsFile(path);
    await Promise.all([1, 2, 3, 4, 5].map((n) => file.save({ saveHistory: true, history: [`m${n}`] })));
    expect(JSON.parse(readFileSync(path, 'utf8')).history).toEqual(['m5']);
  });
});
