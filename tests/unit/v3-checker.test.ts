/**
 * The independent Python checker (docs/check-v3-vectors.py) agrees with our MSP v3 vectors:
 * its own ristretto255 passes RFC 9496's Appendix A, its CPace passes the draft's vectors, and
 * every field of tests/fixtures/msp-v3-vectors.json is recomputed from the inputs. It needs
 * python3 with the `cryptography` package (AES-GCM): missing, the tests are skipped with the
 * reason in their name, except under CI=true where they fail (.ci/run installs python3-cryptography).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHECKER = fileURLToPath(new URL('../../docs/check-v3-vectors.py', import.meta.url));
const VECTORS = fileURLToPath(new URL('../fixtures/msp-v3-vectors.json', import.meta.url));

/** Why the checker cannot run here, or '' when it can. */
const missing = (() => {
  const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });
  if (probe.error) return 'python3 is not installed (apt-get install python3 python3-cryptography)';
  if (probe.status !== 0) return 'the python3 `cryptography` package is missing (apt-get install python3-cryptography)';
  return '';
})();
const skip = missing !== '' && process.env.CI !== 'true';

function runChecker(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (missing) throw new Error(`cannot run docs/check-v3-vectors.py: ${missing}`);
  const run = spawnSync('python3', [CHECKER, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'msp-v3-checker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skip)(`docs/check-v3-vectors.py${skip ? ` [skipped: ${missing}]` : ''}`, () => {
  it('passes its own RFC 9496 and CPace draft self-tests', () => {
    const { status, stdout, stderr } = runChecker('--self-test-only');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).not.toMatch(/^BAD/m);
    for (const line of [
      'ok  RFC 9496 A.1 multiples of the generator, n*B by scalar multiplication: 16 of 16',
      'ok  RFC 9496 A.2 bad encodings rejected (negative x*y): 8 of 8',
      'ok  RFC 9496 A.3 element derivation from 64 uniform bytes: 7 of 7',
      'ok  RFC 9496 A.4 SQRT_RATIO_M1: 6 of 6 vectors',
      'ok  CPace draft-irtf-cfrg-cpace-21 B.3.1 generator g',
      'ok  CPace draft-irtf-cfrg-cpace-21 B.3.4 K = scalar_mult_vfy(ya, Yb) = scalar_mult_vfy(yb, Ya)',
      'ok  CPace draft-irtf-cfrg-cpace-21 B.3.5 ISK_IR',
    ]) {
      expect(stdout).toContain(line);
    }
  });

  it('recomputes every field of tests/fixtures/msp-v3-vectors.json and agrees', () => {
    const { status, stdout, stderr } = runChecker();
    expect(stdout).not.toMatch(/^BAD/m);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('ok  RFC 9496 A.2 bad encodings rejected');
    expect(stdout).toContain('ok  CPace draft-irtf-cfrg-cpace-21 B.3.5 ISK_IR');
    for (const field of ['derived.generator', 'derived.K', 'derived.isk', 'derived.tag_s', 'frames.hello', 'with_tls_identity.isk']) {
      expect(stdout).toContain(`ok  MSP v3 ${field}`);
    }
    const vectors = JSON.parse(readFileSync(VECTORS, 'utf8'));
    expect(stdout.match(/^ok {2}MSP v3 sealed /gm)).toHaveLength(vectors.sealed.length);
    expect(stdout).toMatch(/^all \d+ checks pass$/m);
  });

  it('fails, naming the fields, on a vectors file with one wrong bit in the ISK and in a sealed frame', () => {
    const vectors = JSON.parse(readFileSync(VECTORS, 'utf8'));
    const flipLastBit = (hex: string) => hex.slice(0, -1) + (parseInt(hex.slice(-1), 16) ^ 1).toString(16);
    vectors.derived.isk = flipLastBit(vectors.derived.isk);
    vectors.sealed[1].frame = flipLastBit(vectors.sealed[1].frame);
    const tampered = join(tmp, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(vectors));

    const { status, stdout, stderr } = runChecker(tampered);
    expect(status).toBe(1);
    expect(stdout.match(/^BAD .*/gm)?.map((line) => line.split(':')[0])).toEqual([
      'BAD MSP v3 derived.isk',
      `BAD MSP v3 sealed ${vectors.sealed[1].from} ${vectors.sealed[1].type} seq ${vectors.sealed[1].seq} '${vectors.sealed[1].plaintext}'`,
    ]);
    expect(stderr).toMatch(/^2 of \d+ checks failed/);
  });
});
