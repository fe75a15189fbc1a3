/**
 * The link-layer types (LINKTYPE_* of the tcpdump.org registry) this project writes or reads.
 * We write ETHERNET for TCP links (a synthesized Ethernet/IP/TCP frame per segment, so that
 * Wireshark's own TCP reassembly runs and real endpoints stay) and USER0 for serial ports.
 */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  USER0: 147,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** The link types import understands: TCP over IP on these, MSP straight on USER0. */
export const READABLE_LINK_TYPES: ReadonlySet<number> = new Set(Object.values(LinkType));

/** pcapng EPB flags, bits 0-1: which way the packet went, seen from the capturing side. */
export const Direction = { UNKNOWN: 0, INBOUND: 1, OUTBOUND: 2 } as const;

/** shb_userappl of our own files: import then trusts their direction flags as "us". */
export const OUR_APPLICATION = 'MSP Workbench';
