/**
 * `npm run bench:compare [-- --quick] [--rounds R] [--window W] [--warmup N] [--targets a,b] [--workloads w1,w2]`
 *
 * Measures the reference server against the baselines (issue #8): for each workload, R rounds, and in
 * each round every target once, in turn (A/B/C/A/B/C...), each run on a freshly started server.
 * Writes reports/bench.md (medians, ratios, goal verdicts) and reports/bench.json (every run).
 * Bounded: every run has setup and run timeouts; --quick does one round with a smaller idle test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderMarkdown, type RunRecord } from './compare-report.ts';
import { measureIdle } from './idle.ts';
import { integerOption, runOnServer } from './run.ts';
import { freePort, spawnServer } from './server-process.ts';
import { ALL_TARGETS, REPO_ROOT, type CompareTarget } from './targets.ts';
import { parseWorkload, standardWorkloads, type Workload } from './workloads.ts';

const USAGE = 'usage: npm run bench:compare -- [--quick] [--rounds R] [--window W] [--warmup N] [--targets reference,ngircd,...] [--workloads 50x1x2000,idle:10000,...] [--out reports/bench.md]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      window: { type: 'string', default: '64' },
      warmup: { type: 'string' },
      targets: { type: 'string' },
      workloads: { type: 'string' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'reports', 'bench.md') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = values.quick;
  let rounds: number, window: number, warmup: number | undefined;
  try {
    rounds = values.rounds === undefined ? (quick ? 1 : 3) : integerOption('rounds', values.rounds);
    window = integerOption('window', values.window);
    // Messages per sender before measuring, for every workload; default: bench/load.ts defaultWarmup.
    warmup = values.warmup === undefined ? undefined : integerOption('warmup', values.warmup, 0);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const workloads: Workload[] = values.workloads === undefined ? standardWorkloads(quick) : values.workloads.split(',').map(parseWorkload);
  const wanted = values.targets?.split(',');
  const targets = ALL_TARGETS.filter((t) => wanted === undefined || wanted.includes(t.key));

  const skipped: Record<string, string> = {};
  const runnable: CompareTarget[] = [];
  for (const target of targets) {
    const reason = target.unavailable();
    if (reason === undefined) runnable.push(target);
    else skipped[target.key] = reason;
  }
  console.error(`bench:compare: ${rounds} round(s), window ${window}, targets ${runnable.map((t) => t.key).join(', ')}` + (Object.keys(skipped).length > 0 ? ` (skipped: ${Object.entries(skipped).map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''));

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
  const records: RunRecord[] = [];
  const started = Date.now();
  try {
    for (const workload of workloads) {
      // Memory per idle connection barely varies between runs, and 10,000 connections take a while to set up.
      const workloadRounds = workload.kind === 'idle' ? 1 : rounds;
      for (let round = 1; round <= workloadRounds; round++) {
        for (const target of runnable) {
          const record = await runOne(target, workload, round, window, warmup, workDir);
          records.push(record);
          console.error(describe(record));
        }
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const markdown = renderMarkdown(workloads, records, {
    date: new Date().toISOString(),
    rounds,
    window,
    host: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s, ` +
      `1-minute load average at the start of the runs ${loadRange(records)}; above 2 means other processes competed for the 2 cores`,
    skipped,
    labels: Object.fromEntries(ALL_TARGETS.map((t) => [t.key, t.label])),
    order: targets.map((t) => t.key),
  });
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, markdown);
  writeFileSync(values.out.replace(/\.md$/, '') + '.json', JSON.stringify({ rounds, window, workloads, skipped, records }, null, 2));
  console.log(markdown);
  console.error(`wrote ${values.out}`);
  return 0;
}

async function runOne(target: CompareTarget, workload: Workload, round: number, window: number, warmup: number | undefined, workDir: string): Promise<RunRecord> {
  // Other processes skew everything on a 2-core box: keep the machine's load next to each run.
  const record: RunRecord = { workload: workload.key, target: target.key, round, loadAverage: os.loadavg()[0] };
  let server;
  try {
    const port = await freePort();
    server = await spawnServer({ command: target.command(port, workDir), port, cwd: REPO_ROOT, startTimeoutMs: 20_000 });
    if (workload.kind === 'idle') {
      record.idle = await measureIdle(server, target.dialect, workload.connections, target.connectConcurrency);
    } else {
      record.report = await runOnServer(target.key, server.host, server.port, {
        dialect: target.dialect,
        clients: workload.clients,
        senders: workload.senders,
        messages: workload.messages,
        rate: workload.rate,
        window,
        warmup,
        concurrency: target.connectConcurrency,
        setupTimeoutMs: 60_000,
        idleTimeoutMs: 5_000,
        runTimeoutMs: 60_000,
      }, server);
      if (record.report.errors.length > 0) record.error = record.report.errors.join('; ');
    }
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
    if (server !== undefined) record.error += ` (server output: ${server.output().slice(-500)})`;
  } finally {
    await server?.stop();
  }
  return record;
}

function loadRange(records: readonly RunRecord[]): string {
  const loads = records.map((r) => r.loadAverage ?? Number.NaN).filter(Number.isFinite).sort((a, b) => a - b);
  if (loads.length === 0) return 'unknown';
  return `${loads[0]!.toFixed(1)} to ${loads.at(-1)!.toFixed(1)} (median ${loads[loads.length >> 1]!.toFixed(1)})`;
}

function describe(record: RunRecord): string {
  const head = `${record.workload.padEnd(16)} round ${record.round} ${record.target.padEnd(10)} load ${(record.loadAverage ?? 0).toFixed(1).padStart(5)}`;
  if (record.error !== undefined && record.report === undefined && record.idle === undefined) return `${head} FAILED: ${record.error.split('\n')[0]}`;
  if (record.idle !== undefined) return `${head} ${Math.round(record.idle.bytesPerConnection)} bytes/connection (${record.idle.registered} registered in ${record.idle.setupMs} ms)`;
  const r = record.report!;
  return `${head} ${(r.deliveriesPerSec / 1e6).toFixed(2)} M/s lost ${r.lost} p99 ${r.latencyMs.p99} ms gen ${r.generatorCores} srv ${r.server?.cores ?? '-'} setup ${Math.round(r.setupMs)} ms${r.ended === 'complete' ? '' : ` (${r.ended})`}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exitCode = 2;
  },
);
