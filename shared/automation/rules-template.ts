/**
 * A reply template: text with placeholders the responder fills in when the rule fires.
 *   {0}        the whole regex match      {1} .. {9}  the regex's captures
 *   {counter}  how often this rule fired (1 for the first time)
 *   {peer}     who sent the packet        {{ and }}   a literal { and }
 * In a hex template the result is read as hex, and {counter} is one byte (the count mod 256,
 * two hex digits) so it can sit among the bytes.
 */
import { MAX_PAYLOAD_SIZE, hexByte } from '../msp/index.ts';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'capture'; index: number }
  | { kind: 'counter' }
  | { kind: 'peer' };

export interface TemplateValues {
  captures: ReadonlyArray<string | undefined>;
  counter: number;
  peer: string;
}

/** Rendering stops past this many characters: a hex payload of the largest size, spaced. */
const RENDER_MAX_CHARS = MAX_PAYLOAD_SIZE * 3;

/** The template's parts, or what is wrong with it and where. */
export function parseTemplate(template: string): { ok: true; parts: TemplatePart[] } | { ok: false; problem: string } {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === '}') return { ok: false, problem: `a lone "}" at character ${i + 1} (write }} for a literal one)` };
    if (c !== '{') {
      text += c;
      continue;
    }
    const end = template.indexOf('}', i);
    const name = end < 0 ? '' : template.slice(i + 1, end);
    let part: TemplatePart | undefined;
    if (/^[0-9]$/.test(name)) part = { kind: 'capture', index: Number(name) };
    else if (name === 'counter') part = { kind: 'counter' };
    else if (name === 'peer') part = { kind: 'peer' };
    if (!part) {
      return { ok: false, problem: `unknown placeholder at character ${i + 1}: use {0}..{9}, {counter}, {peer}, or {{ for a literal {` };
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push(part);
    i = end;
  }
  if (text) parts.push({ kind: 'text', text });
  return { ok: true, parts };
}

/** The template filled in; undefined when it would be longer than any payload can be. */
export function renderTemplate(parts: readonly TemplatePart[], values: TemplateValues, format: 'text' | 'hex'): string | undefined {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'capture') out += values.captures[part.index] ?? '';
    else if (part.kind === 'counter') out += format === 'hex' ? hexByte(values.counter & 0xff) : String(values.counter);
    else out += values.peer;
    if (out.length > RENDER_MAX_CHARS) return undefined;
  }
  return out;
}
