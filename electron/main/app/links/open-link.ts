/** The connection panel's choice to the link that carries it: the one place that knows the kinds. */
import type { LinkConfig } from '../../../../shared/ipc/schemas.ts';
import type { Result } from '../../../../shared/result.ts';
import type { AppLink, LinkContext } from './app-link.ts';
import { openTcpClientLink } from './tcp-client-link.ts';
import { openTcpServerLink } from './tcp-server-link.ts';

export function openConfiguredLink(config: LinkConfig, ctx: LinkContext): Promise<Result<AppLink>> {
  return config.mode === 'client' ? openTcpClientLink(config, ctx) : openTcpServerLink(config, ctx);
}
