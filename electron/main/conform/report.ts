/**
 * The conformance report as text lines, JSON, Markdown and HTML. What the peer sent is shown
 * as hex and bounded; in HTML every piece of text is escaped, since a peer's bytes reach the
 * report through the words that describe its replies.
 */
import { shortHex } from './cases.ts';
import type { CaseResult, ConformSummary } from './runner.ts';

/** Bytes of each direction shown in a report (the full count is given when cut). */
export const REPORT_HEX_BYTES = 64;

/** What we sent, each write's bytes apart: "AA | 55 00 12 ..." for a frame split in two writes. */
export function sentHex(writes: readonly Uint8Array[]): string {
  return writes.map((w) => shortHex(w, REPORT_HEX_BYTES)).join(' | ');
}

const STATUS_WORD = { passed: 'PASS', failed: 'FAIL', 'not-applicable': 'N/A ' } as const;

/** One case as the CLI prints it: a line, and for a failure what was expected and what came back. */
export function caseText(result: CaseResult): string {
  const head = `${STATUS_WORD[result.status]} ${result.id.padEnd(20)} ${result.title}`;
  if (result.status === 'passed') return head;
  if (result.status === 'not-applicable') return `${head}\n       not applicable: ${result.got}`;
  return [
    head,
    `       expected: ${result.expected}`,
    `       got:      ${result.got}`,
    `       sent:     ${sentHex(result.sent) || '(nothing)'}`,
    `       received: ${shortHex(result.received, REPORT_HEX_BYTES) || '(nothing)'}`,
    `       likely:   ${result.deviation ?? ''}`,
  ].join('\n');
}

export function summaryText(summary: ConformSummary): string {
  const na = summary.notApplicable > 0 ? `, ${summary.notApplicable} not applicable` : '';
  return `${summary.passed} passed, ${summary.failed} failed${na} (of ${summary.total}) against ${summary.peer} in ${(summary.ms / 1000).toFixed(1)} s`;
}

/** A case as one JSON event line's fields. */
export function caseJson(result: CaseResult): Record<string, unknown> {
  return {
    id: result.id,
    title: result.title,
    status: result.status,
    expected: result.expected,
    got: result.got,
    ...(result.deviation ? { deviation: result.deviation } : {}),
    sent_hex: sentHex(result.sent),
    received_hex: shortHex(result.received, REPORT_HEX_BYTES),
    ms: result.ms,
  };
}

export function summaryJson(summary: ConformSummary): Record<string, unknown> {
  return {
    peer: summary.peer,
    wire: summary.wire,
    passed: summary.passed,
    failed: summary.failed,
    not_applicable: summary.notApplicable,
    total: summary.total,
    ms: summary.ms,
  };
}

/** Markdown table cells: a pipe or a line break from the peer must not break the table. */
function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[<>`]/g, (c) => `\\${c}`);
}

export function markdownReport(results: readonly CaseResult[], summary: ConformSummary, when: Date): string {
  const lines = [
    '# MSP conformance report',
    '',
    `Peer: \`${summary.peer.replace(/`/g, "'")}\` (${summary.wire}), ${when.toISOString()}`,
    '',
    `**${summaryText(summary)}**`,
    '',
    '| result | case | sent | expected | got |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.status} | \`${r.id}\` | ${mdCell(r.title)} | ${mdCell(r.expected)} | ${mdCell(r.got)} |`),
  ];
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    lines.push('', '## Failures', '');
    for (const r of failed) {
      lines.push(
        `### ${r.id}`,
        '',
        `- sent: ${mdCell(r.title)}`,
        `- expected: ${mdCell(r.expected)}`,
        `- got: ${mdCell(r.got)}`,
        `- likely: ${mdCell(r.deviation ?? '')}`,
        '',
        '```',
        `sent     ${sentHex(r.sent) || '(nothing)'}`,
        `received ${shortHex(r.received, REPORT_HEX_BYTES) || '(nothing)'}`,
        '```',
        '',
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function htmlReport(results: readonly CaseResult[], summary: ConformSummary, when: Date): string {
  const e = escapeHtml;
  const rows = results
    .map(
      (r) =>
        `<tr class="${e(r.status)}"><td>${e(r.status)}</td><td><code>${e(r.id)}</code></td><td>${e(r.title)}</td><td>${e(r.expected)}</td><td>${e(r.got)}` +
        (r.status === 'failed'
          ? `<br><small>likely: ${e(r.deviation ?? '')}</small><pre>sent     ${e(sentHex(r.sent) || '(nothing)')}\nreceived ${e(shortHex(r.received, REPORT_HEX_BYTES) || '(nothing)')}</pre>`
          : '') +
        '</td></tr>',
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>MSP conformance report</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
tr.passed td:first-child { color: #176a2c; } tr.failed td:first-child { color: #b3261e; font-weight: bold; }
tr.not-applicable td:first-child { color: #666; } pre { margin: 4px 0 0; white-space: pre-wrap; word-break: break-all; }
</style></head><body>
<h1>MSP conformance report</h1>
<p>Peer: <code>${e(summary.peer)}</code> (${e(summary.wire)}), ${e(when.toISOString())}</p>
<p><strong>${e(summaryText(summary))}</strong></p>
<table><thead><tr><th>result</th><th>case</th><th>sent</th><th>expected</th><th>got</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
