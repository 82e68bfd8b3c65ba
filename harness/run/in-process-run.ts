/**
 * The conformance suite run inside this process, against a target this process controls, with no report
 * files: for tools that need the suite's verdict rather than its reports (the mutation runner,
 * mutation/conformance-fail-fast.ts, and proofs that swap in a deliberately broken target). The same
 * features, step definitions, parameters and control endpoint as `npm run conformance` (harness/run/runner.ts),
 * so what such a tool measures is the suite itself.
 */
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { startControlServer } from '../target/index.ts';
import { formats, runtime, sources } from './cucumber-options.ts';
import { loadable } from '../../launch/bundle.mjs';
import type { TargetController } from '../target/types.ts';
import type { HarnessParameters } from '../session/session-api.ts';

export interface InProcessRun {
  target: TargetController;
  /** Absolute feature paths or globs. */
  features: string[];
  /** Cucumber tag expression selecting the scenarios (default: all). */
  tags?: string;
  /** Step definitions: absolute globs to import, or a support library loaded once and reused across runs. */
  support: { importPaths: string[] } | ISupportCodeLibrary;
  /** Per-expectation timeout of the steps. */
  timeoutMs: number;
  /** Stop at the first failing scenario. */
  failFast: boolean;
  cwd: string;
  /** Cucumber's summary output; nothing is printed when absent. */
  stdout?: Writable;
  onEnvelope?: (envelope: Envelope) => void;
  /** Parameters that differ from the defaults below (e.g. the profile, transcripts of every scenario). */
  parameters?: Partial<HarnessParameters>;
}

/** Starts the target and its control endpoint, runs the scenarios, stops both; true when none failed. */
export async function runSuiteInProcess(run: InProcessRun): Promise<boolean> {
  const address = await run.target.start();
  const control = await startControlServer(run.target, 'run');
  try {
    const parameters: HarnessParameters = {
      target: address,
      profile: 'canonical',
      timeoutMs: run.timeoutMs,
      quietMs: 300,
      forceQuiet: false,
      pristine: true,
      ...(run.target.operPassword !== undefined ? { operPassword: run.target.operPassword } : {}),
      controlUrl: control.url,
      controlSecret: control.secret,
      ...run.parameters,
    };
    const support = 'importPaths' in run.support ? { importPaths: run.support.importPaths.map(loadable), requireModules: [], requirePaths: [], loaders: [] } : run.support;
    const options: IRunOptions = {
      sources: sources(run.features, run.tags ?? ''),
      support,
      runtime: runtime(parameters, { parallel: 0, failFast: run.failFast }),
      formats: formats(undefined, run.stdout ? 'summary' : 'silent'),
    };
    const sink = run.stdout ?? new Writable({ write: (_chunk, _encoding, done) => done() });
    const { success } = await runCucumber(options, { cwd: run.cwd, stdout: sink, stderr: process.stderr }, run.onEnvelope);
    return success;
  } finally {
    await control.close();
    await run.target.stop();
  }
}
