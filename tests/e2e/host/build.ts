/** Builds the renderer exactly as the app ships it, plus the bridge script that stands in for the preload. */
import { resolve } from 'node:path';
import { build } from 'vite';
import { rendererConfig } from '../../../renderer/renderer.config.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

export interface TestBuild {
  rendererDir: string;
  bridgeFile: string;
}

export async function buildForTestHost(outDir = resolve(PROJECT_ROOT, 'out/test-host')): Promise<TestBuild> {
  const rendererDir = resolve(outDir, 'renderer');
  const bridgeDir = resolve(outDir, 'bridge');
  // A production build, as the app ships, even inside a test run (vitest sets NODE_ENV=test,
  // which would give React's development build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...rendererConfig(PROJECT_ROOT, rendererDir), configFile: false, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: bridgeDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: resolve(import.meta.dirname, 'bridge.ts'), formats: ['iife'], name: 'MspTestBridge', fileName: () => 'msp-bridge.js' },
    },
  });
  return { rendererDir, bridgeFile: resolve(bridgeDir, 'msp-bridge.js') };
}
