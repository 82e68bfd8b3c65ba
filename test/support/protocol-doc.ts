/**
 * What the tests read from docs/PROTOCOL.md, the normative spec: its wire examples (each an exact transcript
 * of the reference server, test/unit/core/protocol-examples.test.ts) and the success replies of its command
 * table (§6). Tests that need an example of each command take it from here, so a new command's examples are
 * written once, in the spec, and not again in a test's table (docs/ADDING-A-COMMAND.md).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROTOCOL_FILE = fileURLToPath(new URL('../../docs/PROTOCOL.md', import.meta.url));

export interface Example {
  /** The line of PROTOCOL.md where the block starts, for failure messages. */
  line: number;
  setup: string[];
  steps: Array<{ user: string; direction: 'C' | 'S'; text: string }>;
}

/**
 * The wire examples: a fenced block right after an `<!-- example setup: ... -->` comment; its lines are
 * `<user> C: <line sent>` and `<user> S: <line received>`.
 */
export function readExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const setup = /^<!-- example setup: (.*) -->$/.exec(lines[i]!);
    if (!setup) continue;
    assert.match(lines[i + 1] ?? '', /^```$/, `PROTOCOL.md:${i + 2}: an example setup comment must be followed by a fenced block`);
    const example: Example = { line: i + 2, setup: setup[1] === 'none' ? [] : setup[1]!.split('|').map((s) => s.trim()), steps: [] };
    for (i += 2; lines[i] !== '```'; i++) {
      assert.ok(i < lines.length, `PROTOCOL.md:${example.line}: the example block never ends`);
      const step = /^(\w+) +([CS]): (.*)$/.exec(lines[i]!);
      assert.ok(step, `PROTOCOL.md:${i + 1}: not "<user> C: ..." or "<user> S: ...": ${lines[i]}`);
      example.steps.push({ user: step[1]!, direction: step[2] as 'C' | 'S', text: step[3]! });
    }
    examples.push(example);
  }
  return examples;
}

/** A line a user sent in an example, and the final reply (OK, ERR or PONG) that user received for it. */
export interface Exchange {
  /** Where it is, for test names and messages: `PROTOCOL.md:<line of the block>`. */
  where: string;
  sent: string;
  reply: string;
}

const FINAL_REPLY = /^(?:OK|ERR|PONG)(?: |$)/;

/**
 * Every line sent in an example with its final reply: the first OK, ERR or PONG line the same user receives
 * after it (the reference server answers each line at once; data lines and events are never final replies,
 * §2). A line whose reply the example does not show (hidden by `…`, or the connection closes) is left out.
 */
export function exchanges(examples: readonly Example[]): Exchange[] {
  const found: Exchange[] = [];
  for (const example of examples) {
    example.steps.forEach((step, i) => {
      if (step.direction !== 'C') return;
      const later = example.steps.slice(i + 1);
      const next = later.findIndex((s) => s.user === step.user && s.direction === 'C');
      const reply = (next === -1 ? later : later.slice(0, next)).find((s) => s.user === step.user && s.direction === 'S' && FINAL_REPLY.test(s.text));
      if (reply && !reply.text.includes('…')) found.push({ where: `PROTOCOL.md:${example.line}`, sent: step.text, reply: reply.text });
    });
  }
  return found;
}

/**
 * The success reply of each command of the §6 table (its first column is the command's catalogue name), as
 * a pattern whose named groups are the reply's fields: `<name>` is a field (the last one takes the rest of
 * the line), `[name]` a field that may be absent, any other word literal text. §6 abbreviates `<channel>`
 * as `<ch>`.
 */
export function successReplies(markdown: string): Map<string, { shape: string; pattern: RegExp }> {
  const table = markdown.slice(markdown.indexOf('\n## §6 Command table'), markdown.indexOf('\n### §6.1'));
  const replies = new Map<string, { shape: string; pattern: RegExp }>();
  for (const row of table.matchAll(/^\| (\w+) \|(.*)\|$/gm)) {
    if (row[1] === 'command') continue; // the header
    const cells = row[2]!.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
    // The success reply column: its final reply is the backquoted shape that starts with OK or PONG.
    const shape = [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!).find((s) => /^(?:OK|PONG)\b/.test(s));
    assert.ok(shape, `PROTOCOL.md §6, ${row[1]}: no success reply (a backquoted OK or PONG shape) in its fourth column`);
    const words = shape.split(' ');
    const source = words
      .map((word, i) => {
        const last = i === words.length - 1;
        const field = /^<(\w+)>$/.exec(word)?.[1];
        const optional = /^\[(\w+)\]$/.exec(word)?.[1];
        const name = (n: string) => (n === 'ch' ? 'channel' : n);
        if (field !== undefined) return `${i === 0 ? '' : ' '}(?<${name(field)}>${last ? '.+' : '\\S+'})`;
        if (optional !== undefined) return `(?: (?<${name(optional)}>${last ? '.+' : '\\S+'}))?`;
        return `${i === 0 ? '' : ' '}${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      })
      .join('');
    replies.set(row[1]!, { shape, pattern: new RegExp(`^${source}$`) });
  }
  return replies;
}

export function readProtocol(): string {
  return fs.readFileSync(PROTOCOL_FILE, 'utf8');
}
