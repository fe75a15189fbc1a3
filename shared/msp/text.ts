/** UTF-8 conversions that match Python's strict `bytes.decode('utf-8')`. */

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is reported, not replaced; ignoreBOM: keep a leading BOM as Python does.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The payload as text, or undefined when it is not valid UTF-8 (show it as hex instead). */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
