/**
 * The scenarios a grade is made of, read from the feature files before anything runs: a grade must list
 * every scenario it could have run (also when the server never starts, or the grader is killed), so it
 * cannot wait for Cucumber's message stream. Keys are `uri:line` exactly as the runner reports them
 * (uri relative to the project root, line of the pickle: an Examples row for an outline).
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { SourceMediaType } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import { citedSections, ruleNames } from '../harness/reports/failure-evidence.ts';

export interface ScenarioInfo {
  /** `features/kick.feature:42`: the join key between the plan and the runner's results. */
  key: string;
  name: string;
  feature: string;
  uri: string;
  line: number;
  /** Inherited tags included (feature, rule, examples), e.g. ['@kick', '@v0']. */
  tags: string[];
  /** The Gherkin `Rule:` the scenario belongs to: the rule in plain words, for the student. */
  rule?: string;
  /** PROTOCOL.md sections the feature cites in its description ("§5.10, §4.6"), when any. */
  sections?: string;
  /** Number of steps: how costly it is to run, roughly (the budget order runs cheap scenarios first). */
  steps?: number;
}

export function scenarioKey(uri: string, line: number | undefined): string {
  return `${uri}:${line ?? '?'}`;
}

/** Every *.feature under the given files or directories, sorted, as absolute paths. */
export function featureFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else if (p.endsWith('.feature')) {
      out.add(path.resolve(p));
    }
  };
  for (const p of paths) visit(p);
  return [...out].sort();
}

/**
 * Each feature file's scenarios as last parsed in this process, with the size and mtime it had then: the grader
 * selects its scenarios and the runner reads their tags from the same files a moment later (each parse of
 * the whole suite costs some 40 ms of a start-up that every submission of a class pays).
 */
const parsedFiles = new Map<string, { size: number; mtimeMs: number; scenarios: readonly ScenarioInfo[] }>();

/** Parse feature files into scenarios; `root` is what uris are relative to (the runner's cwd). Throws on a parse error. */
export function readScenarios(files: readonly string[], root: string): ScenarioInfo[] {
  return files.flatMap((file) => {
    const { size, mtimeMs } = fs.statSync(file);
    const key = `${root}\0${file}`;
    let known = parsedFiles.get(key);
    if (known === undefined || known.size !== size || known.mtimeMs !== mtimeMs) {
      known = { size, mtimeMs, scenarios: parseScenarios(file, root) };
      parsedFiles.set(key, known);
    }
    return known.scenarios.map((scenario) => ({ ...scenario, tags: [...scenario.tags] })); // callers may change theirs
  });
}

function parseScenarios(file: string, root: string): ScenarioInfo[] {
  let id = 0;
  const newId = (): string => String(id++);
  const scenarios: ScenarioInfo[] = [];
  const uri = path.relative(root, file).split(path.sep).join('/');
  const envelopes = generateMessages(fs.readFileSync(file, 'utf8'), uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeGherkinDocument: true,
    includePickles: true,
    includeSource: false,
    newId,
  });
  let rules = new Map<string, string>();
  let featureName = uri;
  let sections: string | undefined;
  for (const envelope of envelopes) {
    if (envelope.parseError) throw new Error(`cannot parse ${uri}:${envelope.parseError.source.location?.line ?? '?'}: ${envelope.parseError.message}`);
    if (envelope.gherkinDocument) {
      rules = ruleNames(envelope.gherkinDocument);
      featureName = envelope.gherkinDocument.feature?.name ?? uri;
      sections = citedSections(envelope.gherkinDocument.feature?.description);
    }
    const pickle = envelope.pickle;
    if (!pickle) continue;
    const line = pickle.location?.line ?? 0;
    const rule = pickle.astNodeIds.map((nodeId) => rules.get(nodeId)).find((r) => r !== undefined);
    scenarios.push({
      key: scenarioKey(uri, line),
      name: pickle.name,
      feature: featureName,
      uri,
      line,
      tags: pickle.tags.map((t) => t.name),
      steps: pickle.steps.length,
      ...(rule ? { rule } : {}),
      ...(sections ? { sections } : {}),
    });
  }
  return scenarios;
}

/** A compiled Cucumber tag expression ('' matches everything). Throws with a readable message when malformed. */
export function tagMatcher(expression: string): (tags: readonly string[]) => boolean {
  if (expression.trim() === '') return () => true;
  const node = parseTagExpression(expression);
  return (tags) => node.evaluate([...tags]);
}

/** `(a) and (b)`, leaving out empty parts. */
export function andTags(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p.trim() !== '');
  return nonEmpty.length === 0 ? '' : nonEmpty.map((p) => `(${p})`).join(' and ');
}
