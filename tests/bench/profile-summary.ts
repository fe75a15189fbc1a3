/**
 * Summarises a V8 CPU profile (node --cpu-prof) of the server: where the busy time
 * went, grouped into our code, Node's own JavaScript, and native work (the write and
 * read system calls, GC), then the top functions by self time.
 *
 *   node --import tsx tests/bench/profile-summary.ts CPU.*.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
if (positionals.length === 0) {
  console.error('usage: profile-summary.ts FILE.cpuprofile [--top N]');
  process.exit(2);
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const groups = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      return;
    }
    busy += us;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '')}:${lineNumber + 1}` : ''}`.trim();
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
    const group = url.includes('/shared/msp/') || url.includes('/electron/') ? 'our code (shared/msp, electron/main/link)' : url.startsWith('node:') ? "Node's JavaScript (streams, net, events)" : url ? 'other JavaScript (tsx loader)' : 'native: system calls (writeBuffer...), GC, V8';
    groups.set(group, (groups.get(group) ?? 0) + us);
  });
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`);
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${group}`);
  console.log('  top functions by self time:');
  for (const [name, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`    ${pct(us)}  ${name}`);
}
