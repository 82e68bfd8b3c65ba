/**
 * The scale-out templates in docs/ci/ (GitHub Actions matrix, GitLab CI parallel, Kubernetes Indexed Job):
 * valid YAML, the shard count said once per template and kept in step, and each template's own shell
 * command run for every shard index as the CI engine would set it (with `npm` replaced by a stub that
 * prints its arguments): together the jobs grade shards 1..n exactly once, each into its own folder, and
 * the merge checks that n shards arrived.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const CI = path.join(PROJECT_ROOT, 'docs', 'ci');
const read = (file: string): string => fs.readFileSync(path.join(CI, file), 'utf8');

/**
 * `apt-get` for the templates' shell commands: prints `apt-get` and its arguments. The GitLab job installs
 * bubblewrap, and the real command run here (as root, once per shard) updated the machine's package lists
 * over the network: 20 of the test's 22 s alone, 17 s of CPU, and a change to the machine a test must not
 * make. An executable first on PATH, not a shell function: sh (dash) refuses the name "apt-get" for a function.
 */
const STUBS = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-template-stubs-'));
fs.writeFileSync(path.join(STUBS, 'apt-get'), '#!/bin/sh\nprintf \'apt-get %s\\n\' "$*"\n', { mode: 0o755 });
after(() => fs.rmSync(STUBS, { recursive: true, force: true }));

/** Runs `script` in sh with `npm` printing its arguments (one call per line), and apt-get stubbed; returns what it printed. */
function runWithNpmStub(script: string, env: Record<string, string>): string {
  return execFileSync('/bin/sh', ['-c', `npm() { printf '%s\\n' "$*"; }\n${script}`], { env: { PATH: `${STUBS}:${process.env.PATH ?? ''}`, ...env }, encoding: 'utf8' });
}

/** What the shard commands printed for indexes 1..n: the --shard values and the report folders. */
function checkShards(outputs: string[], n: number): void {
  const shards = outputs.map((out) => /--shard (\d+\/\d+)/.exec(out)?.[1]);
  assert.deepEqual(shards, Array.from({ length: n }, (_, i) => `${i + 1}/${n}`), 'shards 1..n, each once');
  const reports = outputs.map((out) => /--reports (\S+)/.exec(out)?.[1]);
  assert.equal(new Set(reports).size, n, `each shard its own reports folder: ${reports.join(', ')}`);
}

test('GitHub Actions: the matrix lists shards 1..SHARDS, each job grades its shard, the merge expects SHARDS', () => {
  const workflow = parse(read('class-sharded.yml')) as {
    env: Record<string, string | number>;
    jobs: { grade: { strategy: { matrix: { shard: number[] } }; steps: Array<{ run?: string; name?: string }> }; merge: { needs: string; steps: Array<{ run?: string }> } };
  };
  const n = Number(workflow.env.SHARDS);
  assert.deepEqual(workflow.jobs.grade.strategy.matrix.shard, Array.from({ length: n }, (_, i) => i + 1));
  const script = workflow.jobs.grade.steps.find((s) => s.run?.includes('npm run grade'))!.run!;
  const outputs = workflow.jobs.grade.strategy.matrix.shard.map((i) =>
    runWithNpmStub(script.replaceAll('${{ matrix.shard }}', String(i)), { SHARDS: String(n), SUBMISSIONS: 's', SERVER_COMMAND: 'x {dir} {port}' }),
  );
  checkShards(outputs, n);
  assert.equal(workflow.jobs.merge.needs, 'grade');
  const merge = workflow.jobs.merge.steps.find((s) => s.run?.includes('grade:merge'))!.run!;
  assert.match(runWithNpmStub(merge, { SHARDS: String(n) }), new RegExp(`grade:merge -- shards .*--expect-shards ${n}`));
});

test('GitLab CI: parallel N grade jobs shard by CI_NODE_INDEX/CI_NODE_TOTAL; the merge needs them and expects N', () => {
  const pipeline = parse(read('gitlab-class-sharded.yml')) as {
    variables: Record<string, string>;
    grade: { parallel: number; script: string[]; artifacts: { paths: string[] } };
    merge: { needs: Array<{ job: string; artifacts: boolean }>; variables: { SHARDS: string }; script: string[] };
  };
  const n = pipeline.grade.parallel;
  assert.equal(Number(pipeline.merge.variables.SHARDS), n, 'merge.variables.SHARDS in step with grade.parallel');
  const script = pipeline.grade.script.join('\n');
  const outputs = Array.from({ length: n }, (_, i) => runWithNpmStub(script, { ...pipeline.variables, CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(n) }));
  checkShards(outputs, n);
  for (const out of outputs) assert.ok(pipeline.grade.artifacts.paths.some((p) => out.includes(p.replace('*/', '').replace(/\/$/, ''))), 'the reports folder is kept as an artifact');
  for (const out of outputs) assert.match(out, /^apt-get install .*\bbubblewrap$/m, 'each grade job installs the sandbox');
  assert.deepEqual(pipeline.merge.needs, [{ job: 'grade', artifacts: true }]);
  assert.match(runWithNpmStub(pipeline.merge.script.join('\n'), { SHARDS: String(n) }), new RegExp(`--expect-shards ${n}`));
});

test('Kubernetes: an Indexed Job of SHARDS completions grades shard index+1; the merge Job expects SHARDS', () => {
  const docs = parseAllDocuments(read('k8s-class-indexed-job.yaml'));
  for (const doc of docs) assert.deepEqual(doc.errors, []);
  type Container = { env: Array<{ name: string; value: string }>; command: string[]; args: string[] };
  type JobDoc = { kind: string; spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: Container[] } } } };
  const [grade, merge] = docs.map((d) => d.toJS() as JobDoc) as [JobDoc, JobDoc];
  assert.equal(grade.kind, 'Job');
  assert.equal(grade.spec.completionMode, 'Indexed');
  const container = grade.spec.template.spec.containers[0]!;
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  const n = Number(env.SHARDS);
  assert.equal(grade.spec.completions, n, 'completions = SHARDS');
  assert.deepEqual(container.command, ['/bin/sh', '-c']);
  const outputs = Array.from({ length: n }, (_, index) => runWithNpmStub(container.args[0]!, { ...env, JOB_COMPLETION_INDEX: String(index) }));
  checkShards(outputs, n);
  const mergeContainer = merge.spec.template.spec.containers[0]!;
  const mergeEnv = Object.fromEntries(mergeContainer.env.map((e) => [e.name, e.value]));
  assert.equal(Number(mergeEnv.SHARDS), n);
  assert.match(runWithNpmStub(mergeContainer.args[0]!, mergeEnv), new RegExp(`grade:merge -- /reports .*--expect-shards ${n}`));
});

test('the student workflow is valid YAML too', () => {
  assert.ok((parse(read('student-conformance.yml')) as { jobs: object }).jobs);
});
