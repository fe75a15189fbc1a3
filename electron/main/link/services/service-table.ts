/**
 * The services of one session, by the TYPE values they claim: where a received service
 * message goes, what the session offers a peer that asks, and the "not here" answer for a
 * TYPE nobody claims (UNSUPPORTED, never silence that looks like a hang).
 */
import { UnsupportedReason, encodeUnsupported, PacketType, type OfferedService } from '../../../../shared/msp/index.ts';
import type { Result } from '../../../../shared/result.ts';
import type { LinkError } from '../errors.ts';
import { DiscoveryService } from './discovery-service.ts';
import type { Service, ServiceDescriptor, ServiceIo } from './service.ts';

/** DATA/ACK: the first service, built into the Session itself (framing, ACK pairing, timers). */
export const MESSAGING: ServiceDescriptor = { id: 'messaging', version: 1, types: [PacketType.DATA, PacketType.ACK] };

/** What the table needs from its session. */
export interface ServiceHost {
  send(type: number, payload: Uint8Array): Result<{ id: number }, LinkError>;
  readonly peer: string;
  readonly authenticated: boolean;
  readonly queueRoom?: number;
}

export class ServiceTable {
  private readonly byType = new Map<number, Service>();
  private readonly services: Service[] = [];
  readonly discovery: DiscoveryService;

  constructor(
    private readonly host: ServiceHost,
    services: readonly Service[],
  ) {
    this.discovery = new DiscoveryService(() => this.offered());
    for (const service of [this.discovery, ...services]) this.add(service);
    const discovery = this.discovery;
    const io: ServiceIo = {
      send: (type, payload) => host.send(type, payload),
      onUnsupported: (listener) => discovery.onUnsupported(listener),
      sibling: (id) => this.find(id),
      get peer() {
        return host.peer;
      },
      get authenticated() {
        return host.authenticated;
      },
      get queueRoom() {
        return host.queueRoom;
      },
    };
    for (const service of this.services) service.attach(io);
  }

  /** What this end offers, as SERVICES_LIST says it. */
  offered(): OfferedService[] {
    return [MESSAGING, ...this.services].map((s) => {
      const d = 'descriptor' in s ? s.descriptor : s;
      return { id: d.id, version: d.version, types: [...d.types] };
    });
  }

  /** This session's service with this id ("file-transfer"), for its owner to drive. */
  find(id: string): Service | undefined {
    return this.services.find((s) => s.descriptor.id === id);
  }

  /** A service message from the peer, already opened by the channel: a view of the read buffer, copied here for a service that keeps payloads. */
  dispatch(type: number, payload: Uint8Array): void {
    const service = this.byType.get(type);
    if (!service) {
      this.host.send(PacketType.UNSUPPORTED, encodeUnsupported(type, UnsupportedReason.NO_SUCH_SERVICE));
      return;
    }
    if (service.descriptor.needsAuthentication && !this.host.authenticated) {
      this.host.send(PacketType.UNSUPPORTED, encodeUnsupported(type, UnsupportedReason.NEEDS_AUTHENTICATION));
      return;
    }
    service.receive(type, service.descriptor.borrowsPayload ? payload : payload.slice());
  }

  detach(reason: LinkError): void {
    for (const service of this.services) service.detach(reason);
  }

  private add(service: Service): void {
    for (const type of service.descriptor.types) {
      const taken = this.byType.get(type);
      // A programming error, found the first time the two services are put together.
      if (taken) throw new Error(`TYPE 0x${type.toString(16)} is claimed by both ${taken.descriptor.id} and ${service.descriptor.id}`);
      this.byType.set(type, service);
    }
    this.services.push(service);
  }
}
