/**
 * What a failure shows a student, in one place for every output that shows one (the terminal, grade.md,
 * Gradescope, VPL): the rule in plain words, the assertion message without what only a harness developer
 * needs, and the end of the TCP transcript. Also how the rule and the PROTOCOL.md sections are read from
 * a Gherkin document, for the run model and the grader's plan alike.
 */
import type { GherkinDocument } from '@cucumber/messages';

/** The failing scenario's transcript attachment starts with this line (steps/support/world.ts). */
export const TRANSCRIPT_PREFIX = 'TCP transcript\n';

/** The first `lines` lines (at most `chars` characters), with a mark when something was cut. */
export function head(text: string, lines: number, chars: number): string {
  const kept = text.split('\n').slice(0, lines).join('\n');
  const cut = kept.length > chars ? `${kept.slice(0, chars)}…` : kept;
  return cut.length < text.length ? `${cut}\n(…)` : cut;
}

/** The last `lines` lines (at most `chars` characters), saying how many earlier lines were left out. */
export function tail(text: string, lines: number, chars: number): string {
  const all = text.split('\n');
  let kept = all.slice(-lines).join('\n');
  if (kept.length > chars) kept = `…${kept.slice(-chars)}`;
  return all.length > lines || kept.length < text.length ? `(… ${Math.max(0, all.length - lines)} earlier lines)\n${kept}` : kept;
}

/**
 * The assertion message without what only a harness developer needs: the error class, the stack and
 * node:assert's "+ expected - actual" diff of booleans. The first line already says what was expected
 * and what came.
 */
export function studentMessage(message: string): string {
  const kept: string[] = [];
  for (const line of message.replace(/^(?:AssertionError(?: \[ERR_ASSERTION\])?|ExpectationError): /, '').split('\n')) {
    if (/^\s+at\s/.test(line) || /^\s*\+ expected - actual\s*$/.test(line)) break;
    kept.push(line);
  }
  return kept.join('\n').trimEnd();
}

/** The rule in plain words: the Gherkin Rule, else the scenario name, with the PROTOCOL.md sections. */
export function ruleInWords(s: { name: string; rule?: string | undefined; sections?: string | undefined }): string {
  const rule = s.rule ?? s.name;
  return s.sections ? `${rule} (PROTOCOL.md ${s.sections})` : rule;
}

/** The transcript of a failed scenario (without its title line), when one was attached. */
export function transcriptOf(attachments: ReadonlyArray<{ text: string }>): string | undefined {
  const found = attachments.find((a) => a.text.startsWith(TRANSCRIPT_PREFIX));
  return found?.text.slice(TRANSCRIPT_PREFIX.length);
}

/** Scenario AST id -> name of the Rule that holds it. */
export function ruleNames(doc: GherkinDocument): Map<string, string> {
  const rules = new Map<string, string>();
  for (const child of doc.feature?.children ?? []) {
    if (!child.rule) continue;
    for (const inner of child.rule.children) if (inner.scenario) rules.set(inner.scenario.id, child.rule.name);
  }
  return rules;
}

/** PROTOCOL.md sections a feature's description cites ("§5.10, §4.6"), when any. */
export function citedSections(description: string | undefined): string | undefined {
  const found = description?.match(/§\s?\d+(?:\.\d+)*/g);
  return found && found.length > 0 ? [...new Set(found)].join(', ') : undefined;
}
