/**
 * The Cucumber options every run of the suite shares, whoever runs it (the runner, harness/run/runner.ts;
 * an in-process run, harness/run/in-process-run.ts), so that they cannot drift apart.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IRunOptions, ISourcesCoordinates } from '@cucumber/cucumber/api';
import type { HarnessParameters } from '../session/session-api.ts';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { loadable } from '../../launch/bundle.mjs';

const formatter = (name: string): string => pathToFileURL(loadable(path.join(PROJECT_ROOT, 'harness', 'reports', 'formatters', `${name}.ts`))).href;

/**
 * What Cucumber itself writes: nothing on its stdout (the runner prints its own summary from the run
 * model), and messages.ndjson when `messagesFile` is given; cucumber.html is made from that file once the
 * run is over (harness/reports/complete-html.ts). `summary` makes Cucumber's own summary again, for a
 * caller that shows it.
 */
export function formats(messagesFile?: string, stdout: 'silent' | 'summary' = 'silent'): IRunOptions['formats'] {
  return {
    stdout: stdout === 'summary' ? 'summary' : formatter('silent'),
    files: messagesFile === undefined ? {} : { [messagesFile]: formatter('message-log') },
    publish: false,
    options: {},
  };
}

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
