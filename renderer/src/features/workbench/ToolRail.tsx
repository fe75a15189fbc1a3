/**
 * The vertical rail at the window's left edge: one button per tool (tools.tsx). It is a tab list
 * (the sidebar is its tab panel), so arrow keys move between tools as screen readers expect.
 */
import type { KeyboardEvent } from 'react';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { findTool, TOOLS, type ToolDefinition } from './tools.tsx';

export const TOOL_PANEL_ID = 'tool-panel';

export function ToolRail() {
  const t = useT();
  const selected = findTool(useApp((s) => s.tool)).id;
  const selectTool = useApp((s) => s.selectTool);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const at = TOOLS.findIndex((tool) => tool.id === selected);
    const next = TOOLS[(at + step + TOOLS.length) % TOOLS.length];
    selectTool(next.id);
    document.getElementById(`tool-${next.id}`)?.focus();
  }

  return (
    <nav className="tool-rail" role="tablist" aria-orientation="vertical" aria-label={t('tool.rail')} onKeyDown={onKeyDown}>
      {TOOLS.map((tool) => (
        <RailButton key={tool.id} tool={tool} selected={tool.id === selected} onSelect={() => selectTool(tool.id)} label={t(tool.labelKey)} />
      ))}
    </nav>
  );
}

function RailButton({ tool, selected, onSelect, label }: { tool: ToolDefinition; selected: boolean; onSelect(): void; label: string }) {
  return (
    <button
      type="button"
      role="tab"
      id={`tool-${tool.id}`}
      data-testid={`tool-${tool.id}`}
      className="tool-rail-button"
      aria-selected={selected}
      aria-controls={TOOL_PANEL_ID}
      tabIndex={selected ? 0 : -1}
      title={label}
      onClick={onSelect}
    >
      <tool.Icon />
      <span className="tool-rail-label">{label}</span>
      {tool.useBadge && <RailBadge useBadge={tool.useBadge} />}
    </button>
  );
}

/** A separate component so a tool's badge hook runs (and re-renders) on its own. */
function RailBadge({ useBadge }: { useBadge: () => string | null }) {
  const badge = useBadge();
  return badge === null ? null : <span className="tool-rail-badge">{badge}</span>;
}
