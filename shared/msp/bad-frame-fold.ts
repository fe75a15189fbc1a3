/**
 * Every byte shows once in a log: the decoder reports a rejected frame and then reports its
 * bytes again as skipped, so the skip that covers a frame just reported as bad is folded into
 * it, and only the bytes beyond it show as junk. One rule for the live log
 * (electron/main/app/traffic-translator.ts) and for imported captures (shared/capture/).
 */
export class BadFrameFold {
  /** Bytes of the last bad frame that the decoder has not yet reported as skipped. */
  private toSkip = 0;

  /** A frame was rejected: its `length` bytes will come back as skipped. */
  rejected(length: number): void {
    this.toSkip = length;
  }

  /** A packet or a summary: whatever was pending is over. */
  reset(): void {
    this.toSkip = 0;
  }

  /** A skipped run: what is left of it after the bad frame's bytes, or undefined when nothing is. */
  skipped(raw: Uint8Array, length: number): { raw: Uint8Array; length: number } | undefined {
    const covered = Math.min(this.toSkip, length);
    this.toSkip -= covered;
    if (covered === length) return undefined;
    // `raw` is only the run's first bytes: what is left of them after the bad frame's.
    return { raw: raw.subarray(Math.min(covered, raw.length)), length: length - covered };
  }
}
