/**
 * A small, seedable PRNG (mulberry32) for randomised runs (tests, the @load storms): the seed printed replays the same choices.
 * Not for anything that needs unpredictability.
 */
export type Random = () => number;

export function prng(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
