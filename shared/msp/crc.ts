/** The MSP CRC: the sum of the payload bytes as sent on the wire, mod 256. */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i];
  return sum & 0xff;
}
