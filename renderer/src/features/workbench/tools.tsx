/**
 * The workbench's tools, listed once: the rail shows them in this order, and the selected one's
 * panel fills the sidebar beside the log. A new tool is one entry here and a panel in its own
 * feature folder; nothing else in the window changes.
 */
import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/index.ts';
import { PlugIcon, TerminalIcon } from '../../ui/icons.tsx';
import { RemotePanel, useRemoteBadge } from '../remote/RemotePanel.tsx';
import { ConnectionTool } from './ConnectionTool.tsx';

export interface ToolDefinition {
  /** Stable id: the store's `tool`, the rail button's `data-testid="tool-<id>"`. */
  id: string;
  /** The rail button's short label (also its tooltip and the panel's accessible name). */
  labelKey: MessageKey;
  Icon: ComponentType;
  Panel: ComponentType;
  /** Optional: a small count or dot on the rail button ("2 transfers", "remote control active"); null hides it. */
  useBadge?: () => string | null;
}

export const TOOLS: readonly ToolDefinition[] = [
  { id: 'connection', labelKey: 'tool.connection', Icon: PlugIcon, Panel: ConnectionTool },
  { id: 'remote', labelKey: 'tool.remote', Icon: TerminalIcon, Panel: RemotePanel, useBadge: useRemoteBadge },
];

export function findTool(id: string): ToolDefinition {
  return TOOLS.find((tool) => tool.id === id) ?? TOOLS[0];
}
