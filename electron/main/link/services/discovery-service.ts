/**
 * Which services the other end offers (docs/PROTOCOL.md, "Services"): SERVICES_QUERY is
 * answered with SERVICES_LIST; UNSUPPORTED tells a service that the peer does not have it.
 * The original msp.py answers none of these: a query it leaves unanswered is reported as
 * "speaks only DATA/ACK" after the timeout, never as a hang.
 */
import {
  PacketType,
  decodeServicesList,
  decodeUnsupported,
  encodeServicesList,
  type OfferedService,
} from '../../../../shared/msp/index.ts';
import { fail, ok, type Result } from '../../../../shared/result.ts';
import { linkError, type LinkError } from '../errors.ts';
import type { Service, ServiceDescriptor, ServiceIo } from './service.ts';

/** A peer's UNSUPPORTED: which TYPE it did not take, and why. */
export type Unsupported = { type: number; reason: number };

export class DiscoveryService implements Service {
  readonly descriptor: ServiceDescriptor = {
    id: 'services',
    version: 1,
    types: [PacketType.SERVICES_QUERY, PacketType.SERVICES_LIST, PacketType.UNSUPPORTED],
  };
  private io: ServiceIo | undefined;
  private waiting: Array<(result: Result<OfferedService[], LinkError>) => void> = [];
  private readonly unsupportedListeners = new Set<(u: Unsupported) => void>();

  constructor(private readonly offered: () => OfferedService[]) {}

  attach(io: ServiceIo): void {
    this.io = io;
  }

  /** Asks the peer what it offers; answers within `timeoutMs` or says it got no answer. */
  query(timeoutMs: number): Promise<Result<OfferedService[], LinkError>> {
    const io = this.io;
    if (!io) return Promise.resolve(fail(linkError('LINK_ERR_CLOSED', 'The session is not open.')));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== settle);
        resolve(
          fail(
            linkError(
              'LINK_ERR_NO_SERVICES',
              `${io.peer} did not answer the services query within ${timeoutMs / 1000} s: it speaks only DATA/ACK (as the original msp.py does).`,
            ),
          ),
        );
      }, timeoutMs);
      const settle = (result: Result<OfferedService[], LinkError>) => {
        clearTimeout(timer);
        resolve(result);
      };
      this.waiting.push(settle);
      const sent = io.send(PacketType.SERVICES_QUERY, new Uint8Array());
      if (!sent.ok) {
        this.waiting = this.waiting.filter((w) => w !== settle);
        settle(fail(sent.error));
      }
    });
  }

  /** Called for each UNSUPPORTED the peer sends (a service waiting for an answer listens here). */
  onUnsupported(listener: (u: Unsupported) => void): () => void {
    this.unsupportedListeners.add(listener);
    return () => this.unsupportedListeners.delete(listener);
  }

  receive(type: number, payload: Uint8Array): void {
    if (type === PacketType.SERVICES_QUERY) {
      this.io?.send(PacketType.SERVICES_LIST, encodeServicesList(this.offered()));
    } else if (type === PacketType.SERVICES_LIST) {
      const services = decodeServicesList(payload);
      const result = services
        ? ok(services)
        : fail(linkError('LINK_ERR_BAD_REPLY', `${this.io?.peer ?? 'The peer'} sent a malformed list of services.`));
      for (const settle of this.waiting.splice(0)) settle(result);
    } else {
      const unsupported = decodeUnsupported(payload);
      if (unsupported) for (const listener of this.unsupportedListeners) listener(unsupported);
    }
  }

  detach(reason: LinkError): void {
    for (const settle of this.waiting.splice(0)) settle(fail(reason));
    this.unsupportedListeners.clear();
    this.io = undefined;
  }
}
