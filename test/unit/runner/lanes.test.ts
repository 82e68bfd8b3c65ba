/**
 * The --parallel scheduler (harness/run/lanes.ts) over a fake in-process worker: up to n test cases at once,
 * in plan order, setParallelCanAssign honoured (a scenario that must run alone runs alone), failures
 * counted, BeforeAll/AfterAll once; a worker process forked ahead of the run is adopted by it or ended. The
 * forked worker side is exercised by the runner tests (--parallel against a spawned server,
 * test/unit/runner/cli-run.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import { adoptEarlyWorker, discardEarlyWorker, runInLanes, setLanes, startWorkerEarly } from '../../../harness/run/lanes.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

interface Case {
  pickle: { name: string; tags: Array<{ name: string }> };
}

const alone = (pickle: { tags: ReadonlyArray<{ name: string }> }): boolean => pickle.tags.some((t) => t.name === '@alone');

function fakeAdapter(failNames: string[] = []) {
  const log: string[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  /** Two scenarios named "...long" ran side by side. */
  let longOverlap = false;
  const runningNames = new Set<string>();
  const worker = {
    testRunStartedId: 'run',
    eventBroadcaster: new EventEmitter(),
    options: {},
    supportCodeLibrary: {
      parallelCanAssign: (pickle: { tags: ReadonlyArray<{ name: string }> }, running: Array<{ tags: ReadonlyArray<{ name: string }> }>) => (alone(pickle) ? running.length === 0 : !running.some(alone)),
      originalCoordinates: {},
      stepDefinitions: [],
      beforeTestCaseHookDefinitions: [],
      afterTestCaseHookDefinitions: [],
      beforeTestRunHookDefinitions: [],
      afterTestRunHookDefinitions: [],
    },
    runBeforeAllHooks: async () => log.push('BeforeAll'),
    runAfterAllHooks: async () => log.push('AfterAll'),
    runTestCase: async (item: Case) => {
      const name = item.pickle.name;
      if (alone(item.pickle)) assert.equal(runningNames.size, 0, `${name} must run alone, but ${[...runningNames].join(', ')} ran`);
      for (const other of runningNames) if (other.startsWith('alone')) assert.fail(`${name} ran beside ${other}`);
      if (name.endsWith('long') && [...runningNames].some((other) => other.endsWith('long'))) longOverlap = true;
      runningNames.add(name);
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      log.push(`start ${name}`);
      await sleep(name.endsWith('long') ? 40 : name.endsWith('slow') ? 30 : 5);
      concurrent -= 1;
      runningNames.delete(name);
      return !failNames.includes(name);
    },
  };
  return { adapter: { worker, failing: false }, log, max: () => maxConcurrent, longOverlap: () => longOverlap };
}

const plain = (name: string): Case => ({ pickle: { name, tags: [] } });
const lonely = (name: string): Case => ({ pickle: { name, tags: [{ name: '@alone' }] } });

test('runs up to n at once, starts them in plan order, BeforeAll and AfterAll once', async () => {
  const { adapter, log, max } = fakeAdapter();
  const cases = ['a-slow', 'b', 'c', 'd', 'e-slow', 'f'].map(plain);
  assert.equal(await runInLanes(adapter, cases, 3), true);
  assert.equal(max(), 3);
  assert.deepEqual(log.filter((l) => l.startsWith('start')), cases.map((c) => `start ${c.pickle.name}`));
  assert.equal(log[0], 'BeforeAll');
  assert.equal(log.at(-1), 'AfterAll');
});

test('a scenario that must run alone runs alone, and nothing starts beside it', async () => {
  const { adapter, log } = fakeAdapter();
  const cases = [plain('a-slow'), plain('b'), lonely('alone-1'), plain('c'), plain('d'), lonely('alone-2-slow'), plain('e')];
  assert.equal(await runInLanes(adapter, cases, 2), true);
  const started = log.filter((l) => l.startsWith('start')).map((l) => l.slice(6));
  assert.deepEqual([...started].sort(), cases.map((c) => c.pickle.name).sort(), 'every case ran once');
});

test('a failed scenario makes the run fail, and the failing flag is kept', async () => {
  const { adapter } = fakeAdapter(['b']);
  assert.equal(await runInLanes(adapter, ['a', 'b', 'c'].map(plain), 2), false);
  assert.equal(adapter.failing, true);
});

/** Hints as the runner makes them from the last run's durations: names ending in "long" took long. */
const longHints = {
  isLong: (pickle: { name?: string }) => pickle.name?.endsWith('long') ?? false,
  expectedMs: (pickle: { name?: string }) => (pickle.name?.endsWith('long') ? Number(pickle.name.split('-')[1]) : 5),
};

test('known long scenarios start first, longest first, and never side by side while a short one can run', async () => {
  const { adapter, log, longOverlap } = fakeAdapter();
  const cases = ['a', 'b', 'x-100-long', 'c', 'd', 'y-300-long', 'e', 'f', 'g', 'h'].map(plain);
  assert.equal(await runInLanes(adapter, cases, 2, undefined, longHints), true);
  const started = log.filter((l) => l.startsWith('start')).map((l) => l.slice(6));
  assert.deepEqual(started.slice(0, 2), ['y-300-long', 'a'], 'the longest first, a short one beside it');
  assert.equal(longOverlap(), false, 'two long scenarios ran side by side while short ones waited');
  assert.deepEqual([...started].sort(), cases.map((c) => c.pickle.name).sort(), 'every case ran once');
});

test('with only long scenarios left, they do run side by side (no lane stays idle)', async () => {
  const { adapter, max } = fakeAdapter();
  assert.equal(await runInLanes(adapter, ['x-100-long', 'y-300-long'].map(plain), 2, undefined, longHints), true);
  assert.equal(max(), 2);
});

test('setLanes refuses nonsense', () => {
  assert.throws(() => setLanes(0), /positive integer/);
  setLanes(1);
});

test('a worker forked ahead is handed to the run with the same setting, and ended otherwise', async () => {
  const setting = { cwd: PROJECT_ROOT, env: { ...process.env } };
  const forked = startWorkerEarly(setting);
  const adopted = adoptEarlyWorker(setting);
  assert.equal(adopted, forked, 'the same process, still waiting for its INITIALIZE');
  assert.equal(adoptEarlyWorker(setting), undefined, 'adopted once');
  adopted!.kill();
  await once(adopted!, 'exit');

  const unwanted = startWorkerEarly(setting);
  assert.equal(adoptEarlyWorker({ ...setting }), undefined, 'another run\'s setting does not take it');
  await once(unwanted, 'exit'); // ended, not leaked

  const never = startWorkerEarly(setting);
  discardEarlyWorker(); // the run failed before it started
  await once(never, 'exit');
  assert.equal(adoptEarlyWorker(setting), undefined);
});
