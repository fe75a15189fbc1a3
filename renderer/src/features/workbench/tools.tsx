/**
 * The workbench's tools, listed once: the rail shows them in this order, and the selected one's
 * panel fills the sidebar beside the log. A new tool is one entry here and a panel in its own
 * feature folder; nothing else in the window changes.
 */
import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/index.ts';
import { AutomationIcon, CaptureIcon, ModemIcon, PacketsIcon, PlugIcon, TerminalIcon, TransferIcon } from '../../ui/icons.tsx';
import { ModemPanel } from '../modem/ModemPanel.tsx';
import { PacketsPanel } from '../packets/PacketsPanel.tsx';
import { AutomationPanel } from '../automation/AutomationPanel.tsx';
import { CapturesPanel } from '../captures/CapturesPanel.tsx';
import { TransfersPanel } from '../transfers/TransfersPanel.tsx';
import { RemotePanel, useRemoteBadge } from '../remote/RemotePanel.tsx';
import { ConnectionTool } from './ConnectionTool.tsx';
import { useApp } from '../../store/appStore.ts';

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
  { id: 'packets', labelKey: 'tool.packets', Icon: PacketsIcon, Panel: PacketsPanel },
  { id: 'automation', labelKey: 'tool.automation', Icon: AutomationIcon, Panel: AutomationPanel },
  { id: 'captures', labelKey: 'tool.captures', Icon: CaptureIcon, Panel: CapturesPanel },
  { id: 'transfers', labelKey: 'tool.transfers', Icon: TransferIcon, Panel: TransfersPanel, useBadge: useTransfersBadge },
  { id: 'modem', labelKey: 'tool.modem', Icon: ModemIcon, Panel: ModemPanel, useBadge: useModemBadge },
  { id: 'remote', labelKey: 'tool.remote', Icon: TerminalIcon, Panel: RemotePanel, useBadge: useRemoteBadge },
];

/** Running transfers and waiting offers, on the rail button. */
function useTransfersBadge(): string | null {
  const count = useApp((s) => s.offers.length + s.transfers.filter((t) => t.state === 'running' || t.state === 'waiting').length);
  return count > 0 ? String(count) : null;
}

/** A dot while an X/Y/ZMODEM transfer runs. */
function useModemBadge(): string | null {
  return useApp((s) => (s.modemRun?.state === 'running' || s.modemRun?.state === 'opening' ? '1' : null));
}

export function findTool(id: string): ToolDefinition {
  return TOOLS.find((tool) => tool.id === id) ?? TOOLS[0];
}
