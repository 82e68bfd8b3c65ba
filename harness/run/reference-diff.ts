/**
 * --diff: each failed scenario run again against the bundled reference server, through the same profile
 * where the reference server can be driven by it, else through the canonical one (the reference server's
 * own dialect), and the two comparable transcripts side by side with the first divergence marked: what a
 * correct server does at the point where the student's went another way.
 *
 * The reference runs are in this process, on an embedded reference server of their own (never the target
 * under test), with the support code the main run loaded.
 */
import path from 'node:path';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { runSuiteInProcess } from './in-process-run.ts';
import { RunModelBuilder, type ScenarioResult } from '../reports/run-model.ts';
import { comparableLines, renderSideBySide } from '../reports/side-by-side.ts';
import { scenarioKeyOf } from '../reports/repeats.ts';
import type { HarnessParameters } from '../session/session-api.ts';
import { embeddedReferenceServer } from '../target/embedded.ts';

export const CANONICAL = 'canonical';

/** Scenarios a side by side cannot help with: a storm's interleaving differs from run to run by nature. */
const NOT_COMPARED = ['@load'];

export interface ReferenceDiffInput {
  failed: readonly ScenarioResult[];
  support: ISupportCodeLibrary;
  root: string;
  /** The profile the student's run used (name or path). */
  profile: string;
  /** The student's run was client-driven: the reference server is then driven directly, canonical. */
  client: boolean;
  timeoutMs: number;
  quietMs: number;
}

/** Run `scenarios` against a fresh embedded reference server through `profile`; their results by key. */
async function referenceRun(input: ReferenceDiffInput, scenarios: readonly ScenarioResult[], profile: string): Promise<Map<string, ScenarioResult>> {
  const builder = new RunModelBuilder();
  const parameters: Partial<HarnessParameters> = { profile, quietMs: input.quietMs, transcripts: 'all', comparable: true };
  await runSuiteInProcess({
    target: embeddedReferenceServer(),
    features: scenarios.map((s) => `${path.join(input.root, s.uri)}:${s.line}`),
    support: input.support,
    timeoutMs: input.timeoutMs,
    failFast: false,
    cwd: input.root,
    onEnvelope: (envelope) => builder.add(envelope),
    parameters,
  });
  return new Map(builder.finish().scenarios.map((s) => [scenarioKeyOf(s), s]));
}

function describeReference(how: string, ref: ScenarioResult): string {
  if (ref.outcome === 'passed') return `Against the reference server (${how}): it passes this scenario.`;
  const why = ref.outcome === 'failed' ? `it fails too, at "${ref.failingStep?.text ?? '?'}"` : `it is ${ref.outcome} there${ref.notGradableReason ? ` (${ref.notGradableReason})` : ''}`;
  return `Against the reference server (${how}): ${why}; the difference below may not be your server's alone.`;
}

/** The reference comparison of every failed scenario that can have one, by scenario key. */
export async function compareWithReference(input: ReferenceDiffInput): Promise<Map<string, NonNullable<ScenarioResult['reference']>>> {
  const candidates = input.failed.filter((s) => s.line !== undefined && !s.tags.some((t) => NOT_COMPARED.includes(t)) && comparableLines(s.attachments) !== undefined);
  const out = new Map<string, NonNullable<ScenarioResult['reference']>>();
  if (candidates.length === 0) return out;

  const sameProfile = !input.client;
  const first = await referenceRun(input, candidates, sameProfile ? input.profile : CANONICAL);
  let fallback = new Map<string, ScenarioResult>();
  const retry = candidates.filter((s) => first.get(scenarioKeyOf(s))?.outcome !== 'passed');
  if (sameProfile && input.profile !== CANONICAL && retry.length > 0) fallback = await referenceRun(input, retry, CANONICAL);

  for (const s of candidates) {
    const key = scenarioKeyOf(s);
    const again = fallback.get(key);
    const useFallback = again !== undefined && again.outcome === 'passed';
    const ref = useFallback ? again : first.get(key);
    if (!ref) continue;
    const profile = useFallback || !sameProfile ? CANONICAL : input.profile;
    const how = `embedded, profile ${profile}${profile !== input.profile ? `: the reference server speaks the canonical dialect${input.client ? ', and is driven directly, without your client' : ''}` : ''}`;
    const side = renderSideBySide(comparableLines(s.attachments) ?? [], comparableLines(ref.attachments) ?? [], { leftTitle: 'your server', rightTitle: 'reference server' });
    out.set(key, { how, outcome: ref.outcome, comparison: `${describeReference(how, ref)}\n${side.text}` });
  }
  return out;
}
