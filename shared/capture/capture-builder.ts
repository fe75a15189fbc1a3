/**
 * Builds a pcapng capture block by block as traffic goes by: one interface for every TCP
 * conversation (synthesized Ethernet, see synthetic-tcp.ts) and one USER0 interface per
 * serial port, named by its path. Every packet carries its direction seen from us (EPB
 * flags), which is what makes a re-imported capture show "in" and "out" as the log did.
 * The blocks go to `emit` at once: a recorder streams them to a file, nothing is held.
 */
import type { Endpoint } from './endpoint.ts';
import { Direction, LinkType } from './link-types.ts';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from './pcapng-write.ts';
import { SyntheticTcp, type Side } from './synthetic-tcp.ts';

export type Dir = 'in' | 'out';

/** One link's bytes as they went by: in = read from the peer, out = written by us. */
export interface LinkRecorder {
  bytes(dir: Dir, bytes: Uint8Array, atUs: number, comment?: string): void;
  /** The link ended (a TCP conversation gets its FIN). */
  close(atUs: number): void;
}

export class CaptureBuilder {
  private interfaces = 0;
  private ethernet: number | undefined;
  private readonly serialPorts = new Map<string, number>();

  constructor(private readonly emit: (block: Uint8Array) => void) {
    emit(sectionHeaderBlock());
  }

  /** A TCP conversation between `local` (us) and `remote`; `weConnected` says who was the client. */
  tcp(local: Endpoint, remote: Endpoint, weConnected: boolean, atUs: number): LinkRecorder {
    this.ethernet ??= this.addInterface(LinkType.ETHERNET, 'tcp', 'MSP over TCP (synthesized Ethernet/IP/TCP)');
    const interfaceId = this.ethernet;
    const ourSide: Side = weConnected ? 'client' : 'server';
    const tcp = weConnected ? new SyntheticTcp(local, remote) : new SyntheticTcp(remote, local);
    const directionOf = (from: Side) => (from === ourSide ? Direction.OUTBOUND : Direction.INBOUND);
    for (const { from, frame } of tcp.handshake()) {
      this.emit(enhancedPacketBlock({ interfaceId, timestampUs: atUs, data: frame, direction: directionOf(from) }));
    }
    const sideOf = (dir: Dir): Side => (dir === 'out' ? ourSide : ourSide === 'client' ? 'server' : 'client');
    let closed = false;
    return {
      bytes: (dir, bytes, timestampUs, comment) => {
        if (closed || bytes.length === 0) return;
        const from = sideOf(dir);
        tcp.data(from, bytes).forEach((data, i) => {
          const first = i === 0 && comment ? { comment } : {};
          this.emit(enhancedPacketBlock({ interfaceId, timestampUs, data, direction: directionOf(from), ...first }));
        });
      },
      close: (timestampUs) => {
        if (closed) return;
        closed = true;
        this.emit(enhancedPacketBlock({ interfaceId, timestampUs, data: tcp.fin(ourSide), direction: directionOf(ourSide) }));
      },
    };
  }

  /** A serial port: its bytes as they are, on a USER0 interface named by the port's path. */
  serial(port: string): LinkRecorder {
    let interfaceId = this.serialPorts.get(port);
    if (interfaceId === undefined) {
      interfaceId = this.addInterface(LinkType.USER0, port, 'MSP over a serial line');
      this.serialPorts.set(port, interfaceId);
    }
    const id = interfaceId;
    return {
      bytes: (dir, data, timestampUs, comment) => {
        if (data.length === 0) return;
        const direction = dir === 'out' ? Direction.OUTBOUND : Direction.INBOUND;
        this.emit(enhancedPacketBlock({ interfaceId: id, timestampUs, data, direction, ...(comment ? { comment } : {}) }));
      },
      close: () => {},
    };
  }

  private addInterface(linkType: number, name: string, description: string): number {
    this.emit(interfaceDescriptionBlock({ linkType, name, description }));
    return this.interfaces++;
  }
}
