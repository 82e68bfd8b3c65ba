import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGoals, renderMarkdown, summarize, type RunRecord } from '../../../bench/compare-report.ts';
import type { BenchReport } from '../../../bench/run.ts';
import { parseWorkload, type Workload } from '../../../bench/workloads.ts';

function report(target: string, deliveriesPerSec: number, extra: Partial<BenchReport> = {}): BenchReport {
  return {
    target, dialect: 'canonical', clients: 200, senders: 10, messages: 200, window: 64, warmup: 20, workers: 2, setupMs: 1, expected: 100, received: 100, lost: 0,
    outOfOrder: 0, durationMs: 1, deliveriesPerSec, latencyMs: { p50: 1, p99: 2, max: 3 }, generatorCores: 0.5, generatorBusiestThread: 0.4, generatorSaturated: false,
    disconnects: 0, ended: 'complete', errors: [], server: { peakRssBytes: 1048576, cores: 0.9, cpuMicrosPerDelivery: 0.2 }, ...extra,
  };
}

const multi = parseWorkload('200x10x200');
const rate = parseWorkload('200x10x200@2000');
const idle = parseWorkload('idle:1000');
const workloads: Workload[] = [multi, rate, idle];

function records(): RunRecord[] {
  const r: RunRecord[] = [];
  const speeds: Record<string, number[]> = { reference: [3e6, 1e6, 2e6], ngircd: [1e6, 1e6, 1e6], inspircd: [1.5e6, 1.4e6, 1.6e6], python: [0.5e6, 0.6e6, 0.7e6], 'node-relay': [1.2e6, 1.1e6, 1.3e6], 'c-epoll': [4e6, 4e6, 4e6] };
  for (const [target, values] of Object.entries(speeds)) {
    values.forEach((v, i) => r.push({ workload: multi.key, target, round: i + 1, report: report(target, v) }));
    r.push({ workload: rate.key, target, round: 1, report: report(target, 4e5, { latencyMs: { p50: 1, p99: target === 'reference' ? 5 : 4, max: 9 } }) });
  }
  r.push({ workload: idle.key, target: 'reference', round: 1, idle: { connections: 1000, registered: 1000, setupMs: 5, rssBeforeBytes: 50e6, rssAfterBytes: 58e6, bytesPerConnection: 8000 } });
  return r;
}

test('medians per workload and target', () => {
  const s = summarize(records(), multi.key, 'reference');
  assert.equal(s.deliveriesPerSec, 2e6);
  assert.equal(s.runs, 3);
  assert.equal(s.lost, 0);
});

test('goals compare the reference with the right baselines and factors', () => {
  const goals = evaluateGoals(workloads, records());
  const find = (prefix: string) => goals.find((g) => g.goal.startsWith(prefix))!;
  assert.equal(find('>= best of ngircd').verdict, 'pass'); // 2.0 / 1.5 (InspIRCd is the best of the two)
  assert.match(find('>= best of ngircd').detail, /1\.33x/);
  assert.equal(find('>= 2x naive Node').verdict, 'fail'); // 2.0 / 1.2
  assert.equal(find('>= 2x Python').verdict, 'pass'); // 2.0 / 0.6
  assert.equal(find('>= 0.5x C').verdict, 'pass'); // 2.0 / 4.0 = 0.5
  assert.equal(find('nothing lost').verdict, 'pass');
  assert.equal(find('p99 at a fixed rate').verdict, 'fail'); // 5 ms vs InspIRCd's 4 ms
  assert.equal(find('1000 idle').verdict, 'pass');
});

test('a missing comparison target makes its goal n/a, not pass', () => {
  const goals = evaluateGoals([multi], records().filter((r) => r.target !== 'ngircd' && r.target !== 'inspircd'));
  assert.equal(goals.find((g) => g.goal.startsWith('>= best of ngircd'))!.verdict, 'n/a');
});

test('markdown table: one row per target, skipped ones say why, goals at the end', () => {
  const md = renderMarkdown(workloads, records(), {
    date: 'today', rounds: 3, window: 64, host: 'test', skipped: { extra: 'not installed' },
    labels: { reference: 'reference', extra: 'extra server' }, order: ['reference', 'ngircd', 'inspircd', 'python', 'node-relay', 'c-epoll', 'extra'],
  });
  assert.match(md, /\| reference \| 2\.00 \| 1\.00-3\.00 \| 1\.00 \| 0 \|/);
  assert.match(md, /\| c-epoll \| 4\.00 \| 4\.00-4\.00 \| 0\.50 \|/);
  assert.match(md, /\| 0\.90 \| 0\.200 \| 0\.50 \/ 0\.40 \| 1\.0 \| 3 \|/); // server CPU, µs/delivery, generator total / busiest, RSS, runs
  assert.match(md, /\| extra server \| not installed \|/);
  assert.match(md, /\| reference \| 47\.7 \| 55\.3 \| 8000 \| 1000 \| 1 \|/);
  assert.match(md, /## Goals/);
  // The warm-up each run used is part of what was measured.
  assert.match(md, /Each run sends 20 unmeasured warm-up message\(s\) per sender first\./);
});

test('workload syntax', () => {
  assert.deepEqual(parseWorkload('50x1x2000'), { kind: 'throughput', key: '50x1x2000', clients: 50, senders: 1, messages: 2000, rate: undefined, multiClient: false });
  const paced = parseWorkload('200x10x200@2000');
  assert.equal(paced.kind === 'throughput' ? paced.rate : undefined, 2000);
  assert.deepEqual(parseWorkload('idle'), { kind: 'idle', key: 'idle', connections: 10000 });
  assert.throws(() => parseWorkload('lots'), /CLIENTSxSENDERSxMESSAGES/);
});
