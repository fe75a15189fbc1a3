/** Settles when a v3 handshake ends: undefined once secured, else why it failed. */
import type { AppError } from '../../../../shared/result.ts';
import { linkError } from '../../link/errors.ts';
import type { SessionEvent } from '../../link/session.ts';

export class HandshakeWatch {
  private settle!: (error: AppError | undefined) => void;
  readonly done = new Promise<AppError | undefined>((resolve) => (this.settle = resolve));

  constructor(private readonly peer: string) {}

  observe(event: SessionEvent): void {
    if (event.kind === 'security' && event.security.packets === 'v3') this.settle(undefined);
    if (event.kind === 'closed') {
      this.settle(event.error ?? linkError('LINK_ERR_CLOSED', `${this.peer} closed the connection during the secure handshake.`));
    }
  }
}
