/**
 * The layers, enforced (npm run lint:deps, part of npm test):
 *   shared/   pure TypeScript both sides use: no Node built-ins, nothing from electron/ or renderer/
 *   renderer/ the window: shared/ only, never electron/ (it talks to main through window.msp)
 *   electron/main/link, electron/main/app: plain Node, no 'electron' import, so the CLI and the
 *             tests run them without Electron
 * Type-only imports count too: a type from the wrong layer is still a dependency on it.
 */
module.exports = {
  forbidden: [
    {
      name: 'renderer-not-to-electron',
      comment: 'The renderer reaches main only through window.msp (shared/ipc); types it needs live in shared/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'link-and-app-not-to-electron-module',
      comment: "electron/main/link and electron/main/app are plain Node (the CLI and the tests run them): no 'electron' import.",
      severity: 'error',
      from: { path: '^electron/main/(link|app)/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'shared-not-to-node-builtins',
      comment: 'shared/ runs in the renderer too: no Node built-ins (node:fs, node:crypto, ...).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-not-to-electron-or-renderer',
      comment: 'shared/ is the bottom layer: it imports nothing from electron/ or renderer/.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer)/' },
    },
  ],
  options: {
    // Count `import type` too: the renderer importing a type from electron/ is the bug we guard against.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)out/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
