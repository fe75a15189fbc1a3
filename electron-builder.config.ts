/**
 * Installers: Windows (NSIS), macOS (dmg), Linux (AppImage, deb). `npm run dist` builds the
 * app with electron-vite, then packs it with this file for the platform it runs on.
 * Only the built output goes into app.asar; the fuses are flipped after packing (packaging/fuses.ts).
 */
import type { Configuration } from 'electron-builder';
import { flipAppFuses } from './packaging/fuses.ts';

/** Dependencies the packaged app never loads from node_modules. */
export const BUNDLED_OR_CLI_ONLY = [
  'react',
  'react-dom',
  'scheduler',
  'zustand',
  '@tanstack',
  'tsx',
  'esbuild',
  '@esbuild',
  'get-tsconfig',
  'resolve-pkg-maps',
];

const config: Configuration = {
  appId: 'local.msp.workbench',
  productName: 'MSP Workbench',
  directories: { output: 'dist', buildResources: 'packaging/resources' },
  // The main, preload and renderer bundles and package.json (for "main"). Never the sources,
  // the tests or the test host's build (out/test-host). electron-builder adds the production
  // dependencies from node_modules: main imports zod, serialport and selfsigned at run time;
  // the renderer's libraries are already in its bundle and tsx (with esbuild's binary) is only
  // the CLI's, so those are left out.
  files: ['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', '!**/*.map', `!node_modules/{${BUNDLED_OR_CLI_ONLY.join(',')}}/**`],
  asar: true,
  // serialport's native addon cannot be loaded from inside an archive.
  asarUnpack: ['**/*.node'],
  // @serialport/bindings-cpp ships N-API prebuilds, which Electron loads as they are:
  // no rebuild against Electron's headers (which would need a download).
  npmRebuild: false,
  afterPack: flipAppFuses,
  win: { target: [{ target: 'nsis', arch: ['x64'] }] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: [{ target: 'dmg', arch: ['x64', 'arm64'] }], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    category: 'Development',
    maintainer: 'MSP Workbench developers <dev@msp.local>',
  },
};

export default config;
