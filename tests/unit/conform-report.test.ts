/**
 * The conformance report: everything in HTML is escaped (the words about a peer's replies
 * reach it), Markdown cells cannot be broken by a pipe or a line break, and the hex of what a
 * peer sent is cut to a bounded length with its count.
 */
import { describe, expect, it } from 'vitest';
import { caseText, escapeHtml, htmlReport, markdownReport, sentHex } from '../../electron/main/conform/report.ts';
import type { CaseResult, ConformSummary } from '../../electron/main/conform/runner.ts';

const hostile = '<script>alert(1)</script> | "x" & \'y\'\nnext';
const results: CaseResult[] = [
  { id: 'valid-data', title: 'DATA', status: 'passed', expected: 'one ACK', got: '1 ACK', sent: [Uint8Array.of(0xaa, 0x55)], received: new Uint8Array(9), ms: 1 },
  { id: 'two-frames', title: hostile, status: 'failed', expected: hostile, got: hostile, deviation: hostile, sent: [Uint8Array.of(0xaa), Uint8Array.of(0x55)], received: new Uint8Array(1000).fill(0x41), ms: 2 },
];
const summary: ConformSummary = { peer: '<evil>:1', wire: 'tcp', passed: 1, failed: 1, notApplicable: 0, total: 2, ms: 10 };
const when = new Date(0);

describe('conformance report', () => {
  it('escapes everything in HTML', () => {
    const html = htmlReport(results, summary, when);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<evil>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | &quot;x&quot; &amp; &#39;y&#39;');
    expect(escapeHtml('<>&"\'')).toBe('&lt;&gt;&amp;&quot;&#39;');
    // The page itself allows no script at all.
    expect(html).toContain("default-src 'none'");
  });

  it('keeps Markdown tables whole and shows failures with hex, each write apart, cut with its count', () => {
    const md = markdownReport(results, summary, when);
    const rows = md.split('\n').filter((l) => l.startsWith('| failed'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('\\<script\\>alert(1)\\</script\\> \\| "x"');
    expect(rows[0].split(/(?<!\\)\|/)).toHaveLength(7);
    expect(md).toContain('sent     AA | 55');
    expect(md).toMatch(/received 41 41 .* … \(1000 bytes\)/);
    expect(sentHex([Uint8Array.of(1), Uint8Array.of(2, 3)])).toBe('01 | 02 03');
    expect(caseText(results[1])).toMatch(/^FAIL two-frames/);
    expect(caseText(results[0])).toBe('PASS valid-data           DATA');
  });
});
