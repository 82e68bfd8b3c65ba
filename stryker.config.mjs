// Mutation testing of the reference server's protocol core by the conformance suite (issue #7.5).
// `npm run mutation` (slow: minutes to an hour on 2 cores; never part of `npm test` or CI).
// Each mutant of reference-server/core/** is run against the whole conformance suite through the
// embedded reference server (mutation/conformance-fail-fast.ts); results and survivors are discussed
// in docs/VALIDITY.md. @stryker-mutator/core 9.x: the last line that supports Node 20.
// MUTATION_REPORT=<name> writes reports/mutation/<name>.{html,json} instead of mutation.*, so runs over
// parts of the core (`npx stryker run --mutate <files>`) keep each other's results.
const report = process.env.MUTATION_REPORT ?? 'mutation';
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: 'node --import tsx mutation/conformance-fail-fast.ts' },
  mutate: ['reference-server/core/**/*.ts'],
  // The command runner cannot tell which scenario covers which mutant: every mutant runs the suite.
  coverageAnalysis: 'off',
  concurrency: 2,
  // A mutant that loops forever is "timeout" (counted as detected): suite time x 1.5 + this.
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  // Sandboxes live under reports/ (git-ignored) and are deleted after the run.
  tempDirName: 'reports/.stryker-tmp',
  ignorePatterns: ['bench', 'reference-client', 'grading', 'rubrics', 'test', 'docs', 'coverage'],
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: true,
  // Text the protocol declares free (ERR reasons, usage strings, close reasons) is not mutated: see the plugin.
  appendPlugins: ['./mutation/free-text-ignorer.mjs'],
  ignorers: ['free-text'],
  // Stryker rewrites the tsconfig's extends/references in the sandbox with the TypeScript JS API, which
  // TypeScript 7 (native tsc) no longer has. Ours has neither, so nothing needs rewriting: point the
  // option at a file that does not exist and the rewrite is skipped (tsx still reads tsconfig.json).
  tsconfigFile: 'mutation/no-tsconfig-rewrite.json',
};
