/**
 * A small seeded pseudo-random generator, so an impaired run can be repeated exactly
 * (`--seed N`). Not for anything secret: a Weyl sequence through a 32-bit mixer (good
 * enough spread for dropping 1 % of packets, and a few lines instead of a dependency).
 */
export type Random = () => number;

/** Numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 0x1_0000_0000;
  };
}
