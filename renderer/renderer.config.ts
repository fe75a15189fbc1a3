/**
 * Vite settings of the renderer: electron-vite uses them for the app, and the browser
 * tests' test host builds the same renderer with them.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../shared/security/csp.ts';

/** The strict CSP goes into the built page (the dev server needs inline scripts for hot reload). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'msp-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** `projectRoot` is passed in: a bundled config file cannot tell where its imports came from. */
export function rendererConfig(projectRoot: string, outDir = resolve(projectRoot, 'out/renderer')): UserConfig {
  const rendererRoot = resolve(projectRoot, 'renderer');
  return {
    root: rendererRoot,
    base: './',
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(rendererRoot, 'index.html') } },
    },
  };
}
