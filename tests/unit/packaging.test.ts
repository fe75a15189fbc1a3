/**
 * The installer configuration (electron-builder.config.ts) and the fuses its afterPack hook
 * flips. Nothing here downloads Electron: the hook is run on a stand-in binary that carries
 * only Electron's fuse wire, and read back with @electron/fuses.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import config, { BUNDLED_OR_CLI_ONLY } from '../../electron-builder.config.ts';
import { electronBinaryPath, flipAppFuses, FUSE_CONFIG } from '../../packaging/fuses.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const targetsOf = (platform: { target?: unknown } | null | undefined) =>
  (platform?.target as Array<{ target: string }>).map((t) => t.target);

describe('electron-builder configuration', () => {
  it('names the app', () => {
    expect(config.appId).toBe('local.msp.workbench');
    expect(config.productName).toBe('MSP Workbench');
  });

  it('builds NSIS for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    expect(targetsOf(config.win)).toEqual(['nsis']);
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(targetsOf(config.linux)).toEqual(['AppImage', 'deb']);
  });

  it('packs only the built output (and package.json) into app.asar', () => {
    expect(config.asar).toBe(true);
    const files = config.files as string[];
    const included = files.filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    // Not the test host's build, sources, tests or source maps.
    for (const pattern of included) expect(pattern).not.toMatch(/test-host|^electron|^renderer|^shared|^tests|^src/);
    expect(files).toContain('!**/*.map');
    // The renderer's bundled libraries and the CLI's tsx/esbuild stay out of the app.
    expect(files.some((f) => f.startsWith('!node_modules/{') && BUNDLED_OR_CLI_ONLY.every((name) => f.includes(name)))).toBe(true);
  });

  it('flips the fuses after packing; npm run dist builds then packs with this file', () => {
    expect(config.afterPack).toBe(flipAppFuses);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.config.ts');
  });
});

describe('fuses', () => {
  it('RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on, only app.asar, no file:// extras', () => {
    expect(FUSE_CONFIG).toEqual({
      version: '1',
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('finds the packed executable on each platform', () => {
    expect(electronBinaryPath('win32', '/o', 'MSP Workbench', 'msp-workbench')).toBe(join('/o', 'MSP Workbench.exe'));
    expect(electronBinaryPath('darwin', '/o', 'MSP Workbench', 'msp-workbench')).toBe(join('/o', 'MSP Workbench.app'));
    expect(electronBinaryPath('mas', '/o', 'MSP Workbench', 'msp-workbench')).toBe(join('/o', 'MSP Workbench.app'));
    expect(electronBinaryPath('linux', '/o', 'MSP Workbench', 'msp-workbench')).toBe(join('/o', 'msp-workbench'));
  });

  it('the afterPack hook writes them into the binary', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'msp-fuses-'));
    // Electron's fuse wire: the sentinel, version 1, length 9, then one byte per fuse
    // ('0' off, '1' on), here as a stock Electron ships them.
    const wire = Buffer.concat([
      Buffer.alloc(64),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 9]),
      Buffer.from('101001101'),
      Buffer.alloc(64),
    ]);
    writeFileSync(join(appOutDir, 'msp-workbench'), wire);
    const context = {
      electronPlatformName: 'linux',
      appOutDir,
      packager: { executableName: 'msp-workbench', appInfo: { productFilename: 'MSP Workbench' } },
    } as unknown as AfterPackContext;
    await flipAppFuses(context);
    const fuses = await getCurrentFuseWire(join(appOutDir, 'msp-workbench'));
    const on = (fuse: FuseV1Options) => fuses[fuse] === 0x31;
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
  });
});
