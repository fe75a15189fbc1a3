/** The sidebar: the selected tool's panel, labelled by its rail button. */
import { useApp } from '../../store/appStore.ts';
import { TOOL_PANEL_ID } from './ToolRail.tsx';
import { findTool } from './tools.tsx';

export function ToolPanel() {
  const tool = findTool(useApp((s) => s.tool));
  return (
    <aside className="sidebar" id={TOOL_PANEL_ID} role="tabpanel" aria-labelledby={`tool-${tool.id}`} data-testid={`tool-panel-${tool.id}`}>
      <tool.Panel />
    </aside>
  );
}
