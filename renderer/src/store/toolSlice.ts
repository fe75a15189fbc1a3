/** Which tool of the rail fills the sidebar (renderer/src/features/workbench/tools.tsx lists them). */
import type { Slice } from './types.ts';

export interface ToolSlice {
  /** A tool id from the rail; "connection" (connection, server and rates) until the user picks another. */
  tool: string;
  selectTool(id: string): void;
}

export const createToolSlice = (): Slice<ToolSlice> => (set) => ({
  tool: 'connection',
  selectTool(id) {
    set({ tool: id });
  },
});
