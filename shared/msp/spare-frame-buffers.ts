/**
 * Spare frame buffers shared by every decoder in this process. A packet that arrives in two
 * reads (every 64 KiB file chunk does) is put together in a decoder's `held` buffer. Letting
 * that buffer go once it empties keeps idle connections small, but allocating a fresh one for
 * the next frame cost a file transfer more than the copy itself (two zeroed allocations of
 * ~100 KiB per chunk, and the GC behind them). So a decoder gives its big buffer back here when
 * it empties and takes one when it needs one: a few are kept, however many connections there are.
 *
 * A buffer taken here holds another frame's old bytes; a decoder reads only what it wrote.
 */
const MAX_SPARES = 8;
const spares: Uint8Array[] = [];

/** A spare buffer of `size` to `capacity` bytes (a decoder's own bound), if one is kept. */
export function takeSpareFrameBuffer(size: number, capacity: number): Uint8Array | undefined {
  for (let i = spares.length - 1; i >= 0; i--) {
    const length = spares[i].length;
    if (length >= size && length <= capacity) return spares.splice(i, 1)[0];
  }
  return undefined;
}

/** A buffer its decoder no longer uses (and holds no view of). */
export function giveSpareFrameBuffer(buffer: Uint8Array): void {
  if (spares.length < MAX_SPARES) spares.push(buffer);
}
