/**
 * The Cucumber options every run of the suite shares, whoever runs it (the runner, harness/run/runner.ts;
 * an in-process run, harness/run/in-process-run.ts), so that they cannot drift apart.
 */
import type { IRunOptions, ISourcesCoordinates } from '@cucumber/cucumber/api';
import type { HarnessParameters } from '../session/session-api.ts';

/** `order`: 'defined', or `random:<seed>` for --shuffle (the same seed gives the same order). */
export function sources(features: string[], tagExpression: string, order: ISourcesCoordinates['order'] = 'defined'): ISourcesCoordinates {
  return { paths: features, defaultDialect: 'en', names: [], tagExpression, order };
}

export function runtime(parameters: HarnessParameters, options: { parallel: number; failFast: boolean }): IRunOptions['runtime'] {
  return {
    dryRun: false,
    failFast: options.failFast,
    filterStacktraces: true,
    parallel: options.parallel > 1 ? options.parallel : 0,
    retry: 0,
    retryTagFilter: '',
    strict: false, // pending == not gradable: never a failure; the exit code comes from the run model
    worldParameters: { ...parameters },
  };
}
