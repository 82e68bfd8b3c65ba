/**
 * `--parallel N`: N scenarios at once, spread over the runner's own process and ONE forked worker.
 *
 * Cucumber's own parallel mode forks N worker processes and leaves the runner idle: each worker costs
 * seconds of start-up (Node, tsx, Cucumber and every step definition loaded again) before its first
 * scenario, which made `--parallel 2` slower than a serial run on 2-core machines. Here the runner starts
 * running scenarios at once, in its own process (a scenario mostly waits for the server, so several share
 * one event loop), while one worker process starts up beside it; from the moment it is ready the worker
 * takes scenarios too, so both cores work and no start-up is waited for. Each scenario goes to the side
 * with fewer running (the runner's side when equal: it has no IPC hop). The runner forks the worker as
 * its own set-up begins (startWorkerEarly), so the worker's start-up overlaps that set-up, and the run
 * adopts it. The runner asks for the worker only when the server under test runs in a process of its own
 * and a core is left for the worker (runner.ts, laneWorker): the embedded reference server answers from
 * the runner's own event loop, and on two cores the runner and the server already take both, so there all
 * lanes stay in this process.
 *
 * Cucumber 12 has no option for this. While lanes are set, this module wraps the in-process runtime's
 * `run` (InProcessAdapter, which runs test cases one after the other) and schedules test cases itself: in
 * plan order, honouring setParallelCanAssign exactly as Cucumber's parallel coordinator does (a test case
 * that cannot run beside the running ones waits; when nothing runs, the first waiting one runs). The
 * worker is Cucumber's own (lib/runtime/parallel/run_worker.js) and speaks its protocol (INITIALIZE, RUN,
 * FINALIZE; READY, ENVELOPE, FINISHED); it may run several test cases at once too. With one lane,
 * Cucumber's serial code runs unchanged.
 *
 * Scenarios the last run against the same server found long (harness/run/scenario-durations.ts: a
 * register time limit waited out, a framing pause, tens to hundreds of times a typical scenario) start
 * first, longest first, and two of them never run side by side while a shorter one could take the lane:
 * in plan order the reference suite's two 800 ms scenarios started together and held both lanes waiting.
 *
 * It reaches into Cucumber's lib/ (exported as `@cucumber/cucumber/lib/*`), so it checks the shape it
 * relies on and refuses with a clear error if a Cucumber upgrade changed it (package.json pins 12.x).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

interface Pickle {
  uri?: string;
  name?: string;
  tags: ReadonlyArray<{ name: string }>;
}
interface AssembledTestCase {
  pickle: Pickle;
}
interface SupportCodeLibrary {
  parallelCanAssign: (pickle: Pickle, running: Pickle[]) => boolean;
  originalCoordinates: unknown;
  stepDefinitions: Array<{ id: string }>;
  beforeTestCaseHookDefinitions: Array<{ id: string }>;
  afterTestCaseHookDefinitions: Array<{ id: string }>;
  beforeTestRunHookDefinitions: Array<{ id: string }>;
  afterTestRunHookDefinitions: Array<{ id: string }>;
}
interface CucumberWorker {
  testRunStartedId: string;
  eventBroadcaster: EventEmitter;
  options: { worldParameters?: unknown };
  supportCodeLibrary: SupportCodeLibrary;
  runBeforeAllHooks(): Promise<unknown>;
  runAfterAllHooks(): Promise<unknown>;
  runTestCase(item: AssembledTestCase, failing: boolean): Promise<boolean>;
}
interface Adapter {
  worker: CucumberWorker;
  failing: boolean;
}
type Run = (this: Adapter, cases: ReadonlyArray<AssembledTestCase>) => Promise<boolean>;

/** Where the forked worker runs and with what environment (it must load TypeScript support code too). */
export interface WorkerSetting {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const require = createRequire(import.meta.url);
let lanes = 1;
let workerSetting: WorkerSetting | undefined;
let longHints: LongScenarios | undefined;
let installed = false;

/**
 * The scenarios known to take long (the last run's durations, harness/run/scenario-durations.ts): they start
 * first, longest first, and never two side by side while a shorter one could fill the lane instead. A
 * scenario that must keep its place in the plan (run last on a server the runner cannot restart) is never
 * long here.
 */
export interface LongScenarios {
  isLong(pickle: Pickle): boolean;
  expectedMs(pickle: Pickle): number;
}

/**
 * Run up to `n` scenarios at once from now on (1: Cucumber's serial run). With `worker`, one worker process
 * takes part (forked when the run starts); without, every lane is in this process.
 */
export function setLanes(n: number, worker?: WorkerSetting, long?: LongScenarios): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`lanes must be a positive integer, got ${n}`);
  if (n > 1) install();
  lanes = n;
  workerSetting = worker;
  longHints = long;
}

function install(): void {
  if (installed) return;
  const module = require('@cucumber/cucumber/lib/runtime/serial/adapter') as { InProcessAdapter?: { prototype: { run: Run } } };
  const prototype = module.InProcessAdapter?.prototype;
  if (!prototype || typeof prototype.run !== 'function') {
    throw new Error('this version of @cucumber/cucumber has no InProcessAdapter.run: --parallel cannot run scenarios side by side (use 12.x)');
  }
  const original = prototype.run;
  prototype.run = function (this: Adapter, cases) {
    return lanes > 1 ? runInLanes(this, cases, lanes, workerSetting, longHints) : original.call(this, cases);
  };
  installed = true;
}

/** One place test cases run: this process's Worker, or the forked one. */
interface Side {
  running: number;
  ready: boolean;
  run(item: AssembledTestCase, failing: boolean): Promise<boolean>;
}

function forkRunWorker(setting: WorkerSetting): ChildProcess {
  const runWorker = require.resolve('@cucumber/cucumber/lib/runtime/parallel/run_worker');
  return fork(runWorker, [], {
    cwd: setting.cwd,
    env: { ...setting.env, CUCUMBER_PARALLEL: 'true', CUCUMBER_TOTAL_WORKERS: '1', CUCUMBER_WORKER_ID: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
}

/** A worker process forked ahead of the run (startWorkerEarly), waiting for its INITIALIZE. */
let early: { setting: WorkerSetting; child: ChildProcess } | undefined;

/**
 * Fork the worker process of a --parallel run now, ahead of the run: its start-up (Node, tsx and Cucumber
 * loaded, about a second on a 2-core machine) then overlaps the runner's own set-up (selection, step files,
 * the server's start) instead of the run's first second, when only the runner's lanes worked. The run
 * whose setLanes names the same `setting` adopts it; discardEarlyWorker ends it if no run does. It waits
 * for the run's INITIALIZE, so it loads the step files then, as Cucumber's workers do.
 */
export function startWorkerEarly(setting: WorkerSetting): ChildProcess {
  discardEarlyWorker();
  early = { setting, child: forkRunWorker(setting) };
  return early.child;
}

/** End a worker forked ahead that no run adopted (the run failed before it started, or had one lane). */
export function discardEarlyWorker(): void {
  if (early === undefined) return;
  early.child.kill();
  early = undefined;
}

/** The worker forked ahead for this setting, if it is still alive; any other is ended. Exported for tests. */
export function adoptEarlyWorker(setting: WorkerSetting): ChildProcess | undefined {
  const taken = early;
  early = undefined;
  if (taken === undefined) return undefined;
  const alive = taken.child.exitCode === null && taken.child.signalCode === null && taken.child.connected;
  if (taken.setting === setting && alive) return taken.child;
  taken.child.kill();
  return undefined;
}

/** Cucumber's worker process, driven over its IPC protocol; test cases finish in the order they were given. */
function forkWorker(worker: CucumberWorker, setting: WorkerSetting, onGone: (error: Error) => void): { side: Side; finish(): Promise<void> } {
  const child = adoptEarlyWorker(setting) ?? forkRunWorker(setting);
  const waiting: Array<(ok: boolean) => void> = [];
  let finishing = false;
  let closed = false;
  /** Stopped while still starting (it ran nothing): its end is expected, whatever its exit code. */
  let abandoned = false;
  const closedPromise = new Promise<void>((resolve) =>
    child.once('close', (code) => {
      closed = true;
      resolve();
      if (abandoned) return;
      if (!finishing || code !== 0 || waiting.length > 0) onGone(new Error(`the scenario worker process ended unexpectedly (exit code ${code ?? '?'})`));
    }),
  );
  const side: Side = {
    running: 0,
    ready: false,
    run(item, failing) {
      return new Promise<boolean>((resolve) => {
        waiting.push(resolve);
        child.send({ type: 'RUN', assembledTestCase: item, failing });
      });
    },
  };
  child.on('message', (message: { type: string; envelope?: unknown; success?: boolean }) => {
    if (message.type === 'ENVELOPE') worker.eventBroadcaster.emit('envelope', message.envelope);
    else if (message.type === 'READY') side.ready = true;
    else if (message.type === 'FINISHED') waiting.shift()?.(message.success === true);
  });
  const library = worker.supportCodeLibrary;
  child.send({
    type: 'INITIALIZE',
    testRunStartedId: worker.testRunStartedId,
    supportCodeCoordinates: library.originalCoordinates,
    supportCodeIds: {
      stepDefinitionIds: library.stepDefinitions.map((d) => d.id),
      beforeTestCaseHookDefinitionIds: library.beforeTestCaseHookDefinitions.map((d) => d.id),
      afterTestCaseHookDefinitionIds: library.afterTestCaseHookDefinitions.map((d) => d.id),
      beforeTestRunHookDefinitionIds: library.beforeTestRunHookDefinitions.map((d) => d.id),
      afterTestRunHookDefinitionIds: library.afterTestRunHookDefinitions.map((d) => d.id),
    },
    options: worker.options,
    snippetOptions: {},
  });
  return {
    side,
    finish: async () => {
      finishing = true;
      if (!closed) {
        // A run shorter than the worker's start-up (a few scenarios) ends before it is READY: it ran nothing,
        // so it has no AfterAll hooks to run, and Cucumber's worker crashes with a stack trace on the user's
        // terminal when FINALIZE comes before its INITIALIZE is done. Stop it instead.
        if (side.ready) child.send({ type: 'FINALIZE' });
        else {
          abandoned = true;
          child.kill();
        }
      }
      await closedPromise;
    },
  };
}

/** Exported for tests: the scheduler over any worker-like object (`setting`: also use a worker process). */
export async function runInLanes(adapter: Adapter, cases: ReadonlyArray<AssembledTestCase>, n: number, setting?: WorkerSetting, long?: LongScenarios): Promise<boolean> {
  const worker = adapter.worker;
  if (typeof worker?.runTestCase !== 'function' || typeof worker.supportCodeLibrary?.parallelCanAssign !== 'function') {
    throw new Error('this version of @cucumber/cucumber has an unexpected in-process worker: --parallel cannot run scenarios side by side');
  }
  const canAssign = worker.supportCodeLibrary.parallelCanAssign;
  await worker.runBeforeAllHooks();
  const isLong = (item: AssembledTestCase): boolean => long?.isLong(item.pickle) ?? false;
  const longOnes = cases.filter(isLong).sort((a, b) => long!.expectedMs(b.pickle) - long!.expectedMs(a.pickle));
  const todo = [...longOnes, ...cases.filter((item) => !isLong(item))];
  const running = new Set<AssembledTestCase>();
  let failing = adapter.failing;
  const local: Side = { running: 0, ready: true, run: (item, f) => worker.runTestCase(item, f) };
  let wake = (): void => {};
  let fail: (error: Error) => void = () => {};
  const remote = setting && cases.length > 1 ? forkWorker(worker, setting, (error) => fail(error)) : undefined;
  const sides = remote ? [local, remote.side] : [local];
  // The worker's READY arrives between two scenarios of this side: look for work for it then too.
  const poll = remote ? setInterval(() => wake(), 50) : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      fail = reject;
      const fill = (): void => {
        if (todo.length === 0 && running.size === 0) return resolve();
        while (running.size < n && todo.length > 0) {
          const side = sides.filter((s) => s.ready).sort((a, b) => a.running - b.running)[0]!;
          const runningPickles = [...running].map((item) => item.pickle);
          const fits = (item: AssembledTestCase): boolean => canAssign(item.pickle, runningPickles);
          // Two long ones side by side would hold two lanes waiting: take a shorter one while there is one.
          const longRunning = [...running].some(isLong);
          let index = todo.findIndex((item) => fits(item) && !(longRunning && isLong(item)));
          if (index < 0) index = todo.findIndex(fits);
          if (index < 0) {
            if (running.size > 0) break; // wait for a lane to free up
            index = 0; // nothing runs and nothing fits: run the first one anyway, as Cucumber does
          }
          const [item] = todo.splice(index, 1) as [AssembledTestCase];
          running.add(item);
          side.running += 1;
          side.run(item, failing).then((ok) => {
            if (!ok) failing = true;
            side.running -= 1;
            running.delete(item);
            fill();
          }, reject);
        }
      };
      wake = fill;
      fill();
    });
  } finally {
    if (poll) clearInterval(poll);
    await remote?.finish();
  }
  await worker.runAfterAllHooks();
  adapter.failing = failing;
  return !failing;
}
