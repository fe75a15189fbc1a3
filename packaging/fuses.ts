/**
 * Electron fuses, flipped in the packaged binary right after packing and before signing
 * (electron-builder's afterPack hook). A fuse is a switch compiled into the Electron
 * executable itself, so no environment variable or command-line flag can turn it back.
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/** Each fuse and why it is set so. */
export const FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node that runs any script.
  [FuseV1Options.RunAsNode]: false,
  // Cookies on disk encrypted with the OS key (the app sets none, but Chromium may).
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (e.g. --require evil.js) and NODE_EXTRA_CA_CERTS are ignored.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and SIGUSR1 would give a debugger, and so the main process, to anyone who can start the app.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash recorded at build time (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only app.asar is loaded: no app/ folder placed beside it is ever run instead.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer is served over app:// (app-protocol.ts): file:// pages need no extra rights.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const;

export const FUSE_CONFIG: FuseV1Config = { version: FuseVersion.V1, ...FUSES };

/** Where the packed Electron executable is, by platform (the file the fuses are flipped in). */
export function electronBinaryPath(platform: string, appOutDir: string, productFilename: string, linuxExecutableName: string): string {
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${productFilename}.app`);
  if (platform === 'win32') return join(appOutDir, `${productFilename}.exe`);
  return join(appOutDir, linuxExecutableName);
}

/** The afterPack hook. */
export async function flipAppFuses(context: AfterPackContext): Promise<void> {
  const { packager } = context;
  const linuxExecutableName = (packager as { executableName?: string }).executableName ?? packager.appInfo.productFilename;
  const binary = electronBinaryPath(context.electronPlatformName, context.appOutDir, packager.appInfo.productFilename, linuxExecutableName);
  await flipFuses(binary, FUSE_CONFIG);
}
