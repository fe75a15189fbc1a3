/** Japanese text of the tool rail (spread into ja.ts). */
import type { workbenchEn } from './workbench.en.ts';

export const workbenchJa: Record<keyof typeof workbenchEn, string> = {
  'tool.rail': 'ツール',
  'tool.connection': '接続',
};
