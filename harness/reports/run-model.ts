/**
 * Folds Cucumber's message stream into one record per scenario: the only input every report and the
 * console summary are built from, so they can never disagree with each other.
 *
 * Outcome rules (see reports/README.md):
 * - FAILED, AMBIGUOUS or UNDEFINED in any step or hook -> failed (a missing step definition is a bug);
 * - otherwise PENDING -> not gradable (the convention: a step the profile cannot express returns
 *   'pending' and attaches "not gradable: <why>");
 * - otherwise SKIPPED -> skipped; otherwise passed.
 */
import type { Envelope, GherkinDocument, Pickle, TestCase, TestStepResult, Timestamp } from '@cucumber/messages';
import { citedSections, ruleNames } from './failure-evidence.ts';

export type Outcome = 'passed' | 'failed' | 'skipped' | 'not-gradable';

/** Attached to a scenario the run was stopped in the middle of (read by grading/score.ts as its reason). */
export const UNFINISHED_NOTE = 'not run: the run was stopped (its time limit, or an interrupt) before this scenario finished';

export const OUTCOMES: readonly Outcome[] = ['passed', 'failed', 'skipped', 'not-gradable'];

export interface TextAttachment {
  mediaType: string;
  text: string;
  fileName?: string;
}

export interface FailingStep {
  /** "When bob tries to kick carol", or "Before hook" for a hook. */
  text: string;
  /** The error message as Cucumber recorded it (expectation + last received lines, by convention). */
  message: string;
}

export interface ScenarioResult {
  /** testCaseStarted id (unique per run). */
  id: string;
  name: string;
  feature: string;
  uri: string;
  line?: number;
  tags: string[];
  /** The Gherkin `Rule:` the scenario belongs to, when it has one. */
  rule?: string;
  /** PROTOCOL.md sections its feature cites ("§5.10, §4.6"), when any. */
  sections?: string;
  outcome: Outcome;
  durationMs: number;
  failingStep?: FailingStep;
  /** Why the scenario is not gradable (text of its "not gradable: ..." attachment). */
  notGradableReason?: string;
  /** Every text attachment (transcripts, crash reports), decoded. */
  attachments: TextAttachment[];
  /** With --repeat: every run's outcome, in order. */
  runs?: Outcome[];
  /** Passed in some runs and failed in others (--repeat): reported failed; the two runs side by side. */
  flaky?: { passed: number; failed: number; comparison: string };
  /** With --diff, a failed scenario run against the reference server too: how, its outcome, side by side. */
  reference?: { how: string; outcome: Outcome; comparison: string };
}

export interface RunModel {
  scenarios: ScenarioResult[];
  /** From testRunStarted to testRunFinished, ms (0 when the run never started). */
  wallMs: number;
  /** Errors the run itself reported (testRunFinished.exception/message), e.g. a broken support file. */
  runErrors: string[];
  /** Gherkin parse errors. */
  parseErrors: string[];
}

export const NOT_GRADABLE_PREFIX = 'not gradable:';

function toMs(t: Timestamp): number {
  return t.seconds * 1000 + t.nanos / 1e6;
}

function decode(body: string, encoding: string): string {
  return encoding === 'BASE64' ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** Severity order, worst last. Statuses are compared as strings (the enum is type-only here). */
const SEVERITY = ['UNKNOWN', 'PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED'];

function outcomeOf(statuses: string[]): Outcome {
  if (statuses.some((s) => s === 'FAILED' || s === 'AMBIGUOUS' || s === 'UNDEFINED')) return 'failed';
  if (statuses.includes('PENDING')) return 'not-gradable';
  if (statuses.includes('SKIPPED') || statuses.length === 0) return 'skipped';
  return 'passed';
}

/** Gherkin step id -> keyword ("Given ", "And "...), to print a failing step the way the feature says it. */
function stepKeywords(doc: GherkinDocument, into: Map<string, string>): void {
  type Child = { background?: { steps: readonly { id: string; keyword: string }[] }; scenario?: { steps: readonly { id: string; keyword: string }[] }; rule?: { children: readonly Child[] } };
  const walk = (children: readonly Child[]): void => {
    for (const child of children) {
      for (const step of child.background?.steps ?? []) into.set(step.id, step.keyword);
      for (const step of child.scenario?.steps ?? []) into.set(step.id, step.keyword);
      if (child.rule) walk(child.rule.children);
    }
  };
  walk((doc.feature?.children ?? []) as readonly Child[]);
}

interface Running {
  id: string;
  testCaseId: string;
  startedMs: number;
  results: Array<{ testStepId: string; result: TestStepResult }>;
  attachments: TextAttachment[];
}

/**
 * Incremental builder: feed every envelope in order, read `scenarios` at any time (the console's
 * progress uses `onScenario`), call `finish()` at the end.
 */
export class RunModelBuilder {
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, TestCase>();
  private readonly featureNames = new Map<string, string>();
  private readonly featureSections = new Map<string, string>();
  private readonly rules = new Map<string, string>();
  private readonly keywords = new Map<string, string>();
  private readonly hookNames = new Map<string, string>();
  private readonly running = new Map<string, Running>();
  private readonly scenarios: ScenarioResult[] = [];
  private readonly runErrors: string[] = [];
  private readonly parseErrors: string[] = [];
  private startedMs?: number;
  private finishedMs?: number;

  constructor(private readonly onScenario?: (result: ScenarioResult) => void) {}

  /** Pickle ids in the order Cucumber planned them (available once testCase messages arrived). */
  get plannedCount(): number {
    return this.testCases.size;
  }

  add(envelope: Envelope): void {
    if (envelope.gherkinDocument) {
      const doc = envelope.gherkinDocument;
      if (doc.uri) this.featureNames.set(doc.uri, doc.feature?.name ?? doc.uri);
      const sections = citedSections(doc.feature?.description);
      if (doc.uri && sections) this.featureSections.set(doc.uri, sections);
      for (const [scenarioId, rule] of ruleNames(doc)) this.rules.set(scenarioId, rule);
      stepKeywords(doc, this.keywords);
    } else if (envelope.pickle) {
      this.pickles.set(envelope.pickle.id, envelope.pickle);
    } else if (envelope.hook) {
      const hook = envelope.hook;
      const where = hook.sourceReference.uri ? ` (${hook.sourceReference.uri}:${hook.sourceReference.location?.line ?? '?'})` : '';
      this.hookNames.set(hook.id, `${hook.name ?? 'hook'}${where}`);
    } else if (envelope.testCase) {
      this.testCases.set(envelope.testCase.id, envelope.testCase);
    } else if (envelope.testRunStarted) {
      this.startedMs = toMs(envelope.testRunStarted.timestamp);
    } else if (envelope.testCaseStarted) {
      const started = envelope.testCaseStarted;
      this.running.set(started.id, {
        id: started.id,
        testCaseId: started.testCaseId,
        startedMs: toMs(started.timestamp),
        results: [],
        attachments: [],
      });
    } else if (envelope.testStepFinished) {
      const finished = envelope.testStepFinished;
      this.running.get(finished.testCaseStartedId)?.results.push({ testStepId: finished.testStepId, result: finished.testStepResult });
    } else if (envelope.attachment) {
      const a = envelope.attachment;
      const run = a.testCaseStartedId ? this.running.get(a.testCaseStartedId) : undefined;
      if (run && a.mediaType.startsWith('text/')) {
        run.attachments.push({ mediaType: a.mediaType, text: decode(a.body, a.contentEncoding), ...(a.fileName ? { fileName: a.fileName } : {}) });
      }
    } else if (envelope.testCaseFinished) {
      const finished = envelope.testCaseFinished;
      const run = this.running.get(finished.testCaseStartedId);
      this.running.delete(finished.testCaseStartedId);
      if (run && !finished.willBeRetried) {
        const result = this.toScenario(run, toMs(finished.timestamp));
        this.scenarios.push(result);
        this.onScenario?.(result);
      }
    } else if (envelope.testRunFinished) {
      const finished = envelope.testRunFinished;
      this.finishedMs = toMs(finished.timestamp);
      const error = finished.exception?.message ?? finished.message;
      if (error) this.runErrors.push(error);
    } else if (envelope.parseError) {
      const e = envelope.parseError;
      this.parseErrors.push(`${e.source.uri ?? '?'}:${e.source.location?.line ?? '?'}: ${e.message}`);
    }
  }

  private stepText(testCase: TestCase | undefined, pickle: Pickle | undefined, testStepId: string): string {
    const step = testCase?.testSteps.find((s) => s.id === testStepId);
    if (step?.hookId !== undefined) return this.hookNames.get(step.hookId) ?? 'hook';
    const pickleStep = pickle?.steps.find((s) => s.id === step?.pickleStepId);
    if (!pickleStep) return 'unknown step';
    const keyword = pickleStep.astNodeIds.map((id) => this.keywords.get(id)).find((k) => k !== undefined) ?? '';
    return `${keyword}${pickleStep.text}`.trim();
  }

  private toScenario(run: Running, finishedMs: number): ScenarioResult {
    const testCase = this.testCases.get(run.testCaseId);
    const pickle = testCase ? this.pickles.get(testCase.pickleId) : undefined;
    const statuses = run.results.map((r) => String(r.result.status));
    const outcome = outcomeOf(statuses);
    const uri = pickle?.uri ?? '?';
    const result: ScenarioResult = {
      id: run.id,
      name: pickle?.name ?? '?',
      feature: this.featureNames.get(uri) ?? uri,
      uri,
      tags: (pickle?.tags ?? []).map((t) => t.name),
      outcome,
      durationMs: Math.max(0, finishedMs - run.startedMs),
      attachments: run.attachments,
    };
    if (pickle?.location) result.line = pickle.location.line;
    const rule = pickle?.astNodeIds.map((id) => this.rules.get(id)).find((r) => r !== undefined);
    if (rule !== undefined) result.rule = rule;
    const sections = this.featureSections.get(uri);
    if (sections !== undefined) result.sections = sections;
    if (outcome === 'failed') {
      // The worst step is the one to show: a FAILED one if any, else the UNDEFINED/AMBIGUOUS one.
      const worst = run.results.reduce((a, b) => (SEVERITY.indexOf(String(b.result.status)) > SEVERITY.indexOf(String(a.result.status)) ? b : a));
      const status = String(worst.result.status);
      const message =
        worst.result.message ??
        (status === 'UNDEFINED' ? 'undefined step: no step definition matches this text' : status === 'AMBIGUOUS' ? 'ambiguous step: several step definitions match' : status.toLowerCase());
      result.failingStep = { text: this.stepText(testCase, pickle, worst.testStepId), message };
    }
    if (outcome === 'not-gradable') {
      const note = run.attachments.find((a) => a.text.trimStart().toLowerCase().startsWith(NOT_GRADABLE_PREFIX));
      const pending = run.results.find((r) => String(r.result.status) === 'PENDING');
      result.notGradableReason =
        note?.text.trim() ?? (pending ? `${NOT_GRADABLE_PREFIX} ${this.stepText(testCase, pickle, pending.testStepId)} is pending` : NOT_GRADABLE_PREFIX);
    }
    return result;
  }

  finish(): RunModel {
    // Test cases that started but never finished: the run was stopped (a time limit, an interrupt), which
    // is no verdict on the server: not run, saying why (a grade counts it as not run, never as a failure).
    for (const run of this.running.values()) {
      const result = this.toScenario(run, this.finishedMs ?? run.startedMs);
      result.outcome = 'skipped';
      delete result.failingStep;
      result.attachments = [...result.attachments, { mediaType: 'text/plain', text: UNFINISHED_NOTE }];
      this.scenarios.push(result);
    }
    this.running.clear();
    const wallMs = this.startedMs !== undefined && this.finishedMs !== undefined ? this.finishedMs - this.startedMs : 0;
    return { scenarios: [...this.scenarios], wallMs, runErrors: [...this.runErrors], parseErrors: [...this.parseErrors] };
  }
}

export function buildRunModel(envelopes: Iterable<Envelope>): RunModel {
  const builder = new RunModelBuilder();
  for (const envelope of envelopes) builder.add(envelope);
  return builder.finish();
}

export type Counts = Record<Outcome, number> & { total: number; durationMs: number };

export function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0, 'not-gradable': 0, total: 0, durationMs: 0 };
}

/** Counts per key, keys in first-seen order. A scenario may belong to several keys (tags). */
export function countBy(scenarios: readonly ScenarioResult[], keysOf: (s: ScenarioResult) => readonly string[]): Map<string, Counts> {
  const groups = new Map<string, Counts>();
  for (const scenario of scenarios) {
    for (const key of keysOf(scenario)) {
      let counts = groups.get(key);
      if (!counts) groups.set(key, (counts = emptyCounts()));
      counts[scenario.outcome] += 1;
      counts.total += 1;
      counts.durationMs += scenario.durationMs;
    }
  }
  return groups;
}

export function totals(scenarios: readonly ScenarioResult[]): Counts {
  return countBy(scenarios, () => ['all']).get('all') ?? emptyCounts();
}
