/**
 * TCP endpoints as the log shows them ("127.0.0.1:50123", "[::1]:9009") and as IP headers
 * hold them (4 or 16 address bytes and a port). No Node: the renderer exports and imports too.
 */
export interface Endpoint {
  /** 4 bytes for IPv4, 16 for IPv6. */
  address: Uint8Array;
  port: number;
}

/** "a.b.c.d:port" or "[v6]:port" to bytes, or undefined when it is not an IP endpoint (a host name, a serial port). */
export function parseEndpoint(text: string): Endpoint | undefined {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text);
  if (v6) {
    const address = parseIpv6(v6[1]);
    const port = Number(v6[2]);
    return address && port <= 0xffff ? { address, port } : undefined;
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(text);
  if (!v4) return undefined;
  const octets = v4.slice(1, 5).map(Number);
  const port = Number(v4[5]);
  if (octets.some((o) => o > 255) || port > 0xffff) return undefined;
  return { address: Uint8Array.from(octets), port };
}

/** An address as Node reports it ("127.0.0.1", "::1", "::ffff:127.0.0.1") to bytes. */
export function parseAddress(text: string): Uint8Array | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  const v4 = parseEndpoint(`${mapped ? mapped[1] : text}:0`);
  if (v4 && v4.address.length === 4) return v4.address;
  return parseIpv6(text);
}

function parseIpv6(text: string): Uint8Array | undefined {
  let groups: number[] = [];
  let tail = text;
  // An embedded IPv4 at the end (::ffff:1.2.3.4) is two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let v4Tail: number[] = [];
  if (dotted) {
    const v4 = parseEndpoint(`${dotted[2]}:0`);
    if (!v4) return undefined;
    v4Tail = [(v4.address[0] << 8) | v4.address[1], (v4.address[2] << 8) | v4.address[3]];
    tail = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = tail.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length + v4Tail.length;
  if (halves.length === 2) {
    if (known > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...v4Tail];
  } else {
    groups = [...head, ...v4Tail];
  }
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Bytes to text: dotted IPv4, or IPv6 with its longest run of zero groups as "::" (RFC 5952). */
export function formatAddress(address: Uint8Array): string {
  if (address.length === 4) return Array.from(address).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((address[i] << 8) | address[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function formatEndpoint(endpoint: Endpoint): string {
  const address = formatAddress(endpoint.address);
  return endpoint.address.length === 16 ? `[${address}]:${endpoint.port}` : `${address}:${endpoint.port}`;
}
