/** Small, exact statistics used by the load generator and the comparison. */

/** Nearest-rank percentile of the first `count` values (sorts that part of `values` in place). */
export function percentiles(values: Float64Array, count: number, ps: readonly number[]): number[] {
  if (count === 0) return ps.map(() => Number.NaN);
  const sorted = values.subarray(0, count).sort();
  return ps.map((p) => {
    if (p <= 0) return sorted[0]!;
    if (p >= 100) return sorted[count - 1]!;
    const rank = Math.ceil((p / 100) * count);
    return sorted[Math.max(0, rank - 1)]!;
  });
}

/** Median of finite numbers (mean of the two middle ones for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}
