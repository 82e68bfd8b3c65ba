/**
 * Turns the raw runs of `bench:compare` into medians, ratios, goal verdicts and reports/bench.md.
 * Pure functions of the run records: unit-tested without any server.
 */
import type { BenchReport } from './run.ts';
import { median } from './stats.ts';
import type { Workload } from './workloads.ts';

export interface IdleReport {
  connections: number;
  registered: number;
  setupMs: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerConnection: number;
}

export interface RunRecord {
  workload: string;
  target: string;
  round: number;
  report?: BenchReport;
  idle?: IdleReport;
  error?: string;
  /** 1-minute load average of the machine when the run started. */
  loadAverage?: number;
}

export interface Summary {
  workload: string;
  target: string;
  runs: number;
  failures: number;
  deliveriesPerSec: number;
  /** Smallest and largest deliveries/s over the runs: how much the machine moved during the comparison. */
  deliveriesPerSecMin: number;
  deliveriesPerSecMax: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  serverCores: number;
  serverMicrosPerDelivery: number;
  generatorCoresMax: number;
  /** Busiest generator thread, max over runs, cores. */
  generatorBusiestMax: number;
  generatorSaturatedRuns: number;
  peakRssBytes: number;
  bytesPerConnection: number;
  firstError?: string;
}

export function summarize(records: readonly RunRecord[], workload: string, target: string): Summary {
  const mine = records.filter((r) => r.workload === workload && r.target === target);
  const reports = mine.flatMap((r) => (r.report === undefined ? [] : [r.report]));
  const idles = mine.flatMap((r) => (r.idle === undefined ? [] : [r.idle]));
  return {
    workload,
    target,
    runs: mine.length,
    failures: mine.filter((r) => r.error !== undefined).length,
    deliveriesPerSec: median(reports.map((r) => r.deliveriesPerSec)),
    deliveriesPerSecMin: Math.min(...reports.map((r) => r.deliveriesPerSec)),
    deliveriesPerSecMax: Math.max(...reports.map((r) => r.deliveriesPerSec)),
    lost: reports.reduce((sum, r) => sum + r.lost, 0),
    p50Ms: median(reports.map((r) => r.latencyMs.p50)),
    p99Ms: median(reports.map((r) => r.latencyMs.p99)),
    serverCores: median(reports.map((r) => r.server?.cores ?? Number.NaN)),
    serverMicrosPerDelivery: median(reports.map((r) => r.server?.cpuMicrosPerDelivery ?? Number.NaN)),
    generatorCoresMax: Math.max(Number.NEGATIVE_INFINITY, ...reports.map((r) => r.generatorCores)),
    generatorBusiestMax: Math.max(Number.NEGATIVE_INFINITY, ...reports.map((r) => r.generatorBusiestThread).filter(Number.isFinite)),
    generatorSaturatedRuns: reports.filter((r) => r.generatorSaturated).length,
    peakRssBytes: median(reports.map((r) => r.server?.peakRssBytes ?? Number.NaN)),
    bytesPerConnection: median(idles.map((i) => i.bytesPerConnection)),
    firstError: mine.find((r) => r.error !== undefined)?.error,
  };
}

export interface Goal {
  goal: string;
  /** 'pass' | 'fail' | 'n/a' (a target it compares with did not run). */
  verdict: 'pass' | 'fail' | 'n/a';
  detail: string;
}

const REF = 'reference';

/** Evaluates issue #8's goals from the summaries (ratios from the same run). */
export function evaluateGoals(workloads: readonly Workload[], records: readonly RunRecord[]): Goal[] {
  const goals: Goal[] = [];
  const dps = (workload: string, target: string): number => summarize(records, workload, target).deliveriesPerSec;
  const ratioGoal = (goal: string, workload: string, others: string[], factor: number): void => {
    const ref = dps(workload, REF);
    const values = others.map((t) => dps(workload, t)).filter(Number.isFinite);
    if (!Number.isFinite(ref) || values.length === 0) {
      goals.push({ goal, verdict: 'n/a', detail: `${workload}: not measured` });
      return;
    }
    const best = Math.max(...values);
    const ratio = ref / best;
    goals.push({ goal, verdict: ratio >= factor ? 'pass' : 'fail', detail: `${workload}: ${ratio.toFixed(2)}x (need ${factor}x)` });
  };
  for (const w of workloads) {
    if (w.kind !== 'throughput' || w.rate !== undefined) continue;
    ratioGoal('>= best of ngircd/InspIRCd', w.key, ['ngircd', 'inspircd'], 1);
    if (w.multiClient) {
      ratioGoal('>= 2x naive Node relay', w.key, ['node-relay'], 2);
      ratioGoal('>= 2x Python threads', w.key, ['python'], 2);
    }
    ratioGoal('>= 0.5x C epoll (stretch 0.8x)', w.key, ['c-epoll'], 0.5);
  }
  const lost = workloads
    .filter((w) => w.kind === 'throughput')
    .map((w) => summarize(records, w.key, REF))
    .filter((s) => s.runs > 0);
  if (lost.length > 0) {
    const total = lost.reduce((sum, s) => sum + s.lost, 0);
    const failures = lost.reduce((sum, s) => sum + s.failures, 0);
    goals.push({ goal: 'nothing lost', verdict: total === 0 && failures === 0 ? 'pass' : 'fail', detail: `${total} deliveries lost, ${failures} failed runs` });
  }
  for (const w of workloads) {
    if (w.kind !== 'throughput' || w.rate === undefined) continue;
    const ref = summarize(records, w.key, REF).p99Ms;
    const insp = summarize(records, w.key, 'inspircd').p99Ms;
    if (!Number.isFinite(ref) || !Number.isFinite(insp)) {
      goals.push({ goal: 'p99 at a fixed rate <= InspIRCd', verdict: 'n/a', detail: `${w.key}: not measured` });
    } else {
      goals.push({ goal: 'p99 at a fixed rate <= InspIRCd', verdict: ref <= insp ? 'pass' : 'fail', detail: `${w.key}: ${ref} ms vs ${insp} ms` });
    }
  }
  for (const w of workloads) {
    if (w.kind !== 'idle') continue;
    const perConnection = summarize(records, w.key, REF).bytesPerConnection;
    goals.push(
      Number.isFinite(perConnection)
        ? { goal: `${w.connections} idle connections < 10 KB RSS each`, verdict: perConnection < 10_000 ? 'pass' : 'fail', detail: `${(perConnection / 1000).toFixed(1)} KB per connection` }
        : { goal: `${w.connections} idle connections < 10 KB RSS each`, verdict: 'n/a', detail: 'not measured' },
    );
  }
  return goals;
}

export interface ReportContext {
  date: string;
  rounds: number;
  window: number;
  host: string;
  /** Targets that could not run, with the reason. */
  skipped: Record<string, string>;
  labels: Record<string, string>;
  order: string[];
}

const fmt = {
  mps: (v: number) => (Number.isFinite(v) ? (v / 1e6).toFixed(2) : '-'),
  ms: (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-'),
  cores: (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-'),
  mib: (v: number) => (Number.isFinite(v) ? (v / 1048576).toFixed(1) : '-'),
};

export function renderMarkdown(workloads: readonly Workload[], records: readonly RunRecord[], context: ReportContext): string {
  const out: string[] = [];
  out.push('# Benchmark: reference server vs baselines', '');
  out.push(
    `Generated by \`npm run bench:compare\` on ${context.date} (${context.host}). Medians of ${context.rounds} run(s) per cell (one run for the idle test), ` +
      `targets alternated within each round, a fresh server per run, in-flight window ${context.window} per sender ` +
      `(a message is in flight until every recipient has it). M/s = million deliveries per second. ` +
      `"vs ref" = reference / that server. "server CPU" = the server's CPU over the measured phase (median, cores); ` +
      `"server µs/delivery" = its CPU time per delivery, which other processes on the machine disturb far less than M/s ` +
      `(from /proc in 10 ms ticks: rough on the shortest runs). ` +
      `"gen CPU" = the load generator's CPU, all threads / busiest thread (max over runs, cores); ` +
      `a "!" means a generator thread saturated a core in some run, so that cell may be limited by the generator.`,
    '',
  );
  for (const w of workloads) {
    if (w.kind === 'throughput') {
      out.push(`## ${w.clients} clients x ${w.senders} sender(s) x ${w.messages} messages${w.rate === undefined ? '' : ` at ${w.rate} msg/s total`}`, '');
      const warmups = [...new Set(records.flatMap((r) => (r.workload === w.key && r.report !== undefined ? [r.report.warmup] : [])))];
      if (warmups.length > 0) out.push(`Each run sends ${warmups.join(' or ')} unmeasured warm-up message(s) per sender first.`, '');
      out.push('| server | M/s | min-max | vs ref | lost | p50 ms | p99 ms | server CPU | server µs/delivery | gen CPU | peak RSS MiB | runs |');
      out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      const ref = summarize(records, w.key, REF).deliveriesPerSec;
      for (const target of context.order) {
        const label = context.labels[target] ?? target;
        if (context.skipped[target] !== undefined) {
          out.push(`| ${label} | ${context.skipped[target]} | | | | | | | | | | |`);
          continue;
        }
        const s = summarize(records, w.key, target);
        if (s.runs === 0) continue;
        const ratio = Number.isFinite(ref) && Number.isFinite(s.deliveriesPerSec) && target !== REF ? (ref / s.deliveriesPerSec).toFixed(2) : target === REF ? '1.00' : '-';
        const busiest = Number.isFinite(s.generatorBusiestMax) ? ` / ${fmt.cores(s.generatorBusiestMax)}` : '';
        const gen = Number.isFinite(s.generatorCoresMax) ? `${fmt.cores(s.generatorCoresMax)}${busiest}${s.generatorSaturatedRuns > 0 ? '!' : ''}` : '-';
        const runs = s.failures > 0 ? `${s.runs - s.failures}/${s.runs}` : `${s.runs}`;
        const spread = Number.isFinite(s.deliveriesPerSecMin) ? `${fmt.mps(s.deliveriesPerSecMin)}-${fmt.mps(s.deliveriesPerSecMax)}` : '-';
        out.push(`| ${label} | ${fmt.mps(s.deliveriesPerSec)} | ${spread} | ${ratio} | ${s.lost} | ${fmt.ms(s.p50Ms)} | ${fmt.ms(s.p99Ms)} | ${fmt.cores(s.serverCores)} | ${Number.isFinite(s.serverMicrosPerDelivery) ? s.serverMicrosPerDelivery.toFixed(3) : '-'} | ${gen} | ${fmt.mib(s.peakRssBytes)} | ${runs} |`);
      }
    } else {
      out.push(`## ${w.connections} idle registered connections`, '');
      out.push('| server | RSS before MiB | RSS after MiB | bytes per connection | registered | runs |');
      out.push('|---|---:|---:|---:|---:|---:|');
      for (const target of context.order) {
        const label = context.labels[target] ?? target;
        if (context.skipped[target] !== undefined) {
          out.push(`| ${label} | ${context.skipped[target]} | | | | |`);
          continue;
        }
        const mine = records.filter((r) => r.workload === w.key && r.target === target);
        if (mine.length === 0) continue;
        const idles = mine.flatMap((r) => (r.idle === undefined ? [] : [r.idle]));
        const runs = idles.length === mine.length ? `${mine.length}` : `${idles.length}/${mine.length}`;
        out.push(
          `| ${label} | ${fmt.mib(median(idles.map((i) => i.rssBeforeBytes)))} | ${fmt.mib(median(idles.map((i) => i.rssAfterBytes)))} | ` +
            `${Number.isFinite(median(idles.map((i) => i.bytesPerConnection))) ? Math.round(median(idles.map((i) => i.bytesPerConnection))) : '-'} | ` +
            `${idles.length > 0 ? Math.min(...idles.map((i) => i.registered)) : '-'} | ${runs} |`,
        );
      }
    }
    const errors = context.order.map((t) => summarize(records, w.key, t)).filter((s) => s.firstError !== undefined);
    for (const s of errors) out.push('', `- ${context.labels[s.target] ?? s.target}: ${s.failures} failed run(s), first error: ${oneLine(s.firstError!)}`);
    out.push('');
  }
  out.push('## Goals (issue #8)', '');
  out.push('| goal | verdict | detail |', '|---|---|---|');
  for (const g of evaluateGoals(workloads, records)) out.push(`| ${g.goal} | ${g.verdict.toUpperCase()} | ${g.detail} |`);
  out.push('');
  return out.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 300);
}
