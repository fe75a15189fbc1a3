/** Where tests/global-setup.ts writes the bundled CLI: inside the project, so its node_modules imports resolve. */
import { fileURLToPath } from 'node:url';

export const TEST_CLI_BUNDLE = fileURLToPath(new URL('../../node_modules/.cache/msp-test/msp.mjs', import.meta.url));
