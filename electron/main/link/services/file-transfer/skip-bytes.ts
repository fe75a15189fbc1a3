/** The buffers after their first `bytes` bytes: what is left after a short readv or writev (rare, but possible). */
export function skipBytes(buffers: Uint8Array[], bytes: number): Uint8Array[] {
  if (bytes === 0) return buffers;
  const out: Uint8Array[] = [];
  let left = bytes;
  for (const b of buffers) {
    if (left >= b.length) left -= b.length;
    else {
      out.push(left > 0 ? b.subarray(left) : b);
      left = 0;
    }
  }
  return out;
}
