/**
 * The command catalogue (common/commands.ts) is complete: every command in it has each piece that
 * docs/ADDING-A-COMMAND.md lists, in the places that do not derive from the catalogue. A command added to
 * the catalogue alone fails here, naming each missing piece, instead of passing unnoticed.
 *
 * The pieces: a row in PROTOCOL.md's command table (§6), a canonical profile entry (profiles/canonical.json), scenarios tagged with the command's
 * feature tag (features/), a category in each shipped rubric (no catch-all takes it: rubrics/*.json), a
 * line of the reference server's /HELP, an optional feature of grading/manifest.ts for an extension or
 * bonus command, and the reference client typing and rendering it (through its
 * public API: the typed-command parser and its default dialect, whatever that dialect is built from).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { argumentsOf, COMMANDS, type CommandFacts } from '../../../common/commands.ts';
import { categoryOf, loadRubric, type Rubric } from '../../../grading/rubric.ts';
import { optionalFeatureOf } from '../../../grading/manifest.ts';
import { featureFiles, readScenarios } from '../../../grading/scenarios.ts';
import { PROFILES_DIR } from '../../../harness/dialect/load-profile.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import * as core from '../../../reference-server/core/index.ts';
import type { ClientCommand, Dialect } from '../../../reference-client/protocol.ts';
import { loadDialect } from '../../../reference-client/protocol-profile.ts';
import { parseTyped } from '../../../reference-client/typed-commands.ts';

/** What the catalogue is checked against: the repository as it is. */
interface Places {
  /** The commands of the command table of docs/PROTOCOL.md §6 (its first column). */
  protocolTable: ReadonlySet<string>;
  profileCommands: ReadonlySet<string>;
  scenarioTags: ReadonlySet<string>;
  rubrics: ReadonlyArray<{ name: string; rubric: Rubric }>;
  serverHelp: readonly string[];
  clientDialect: Dialect;
}

/** The reference server's /HELP, as a registered user gets it: the text of each HELP line. */
function serverHelp(): string[] {
  const state = core.createServerState();
  core.connectionOpened(state, 1, '192.0.2.7');
  core.lineReceived(state, 1, '/NICK alice');
  const lines = core.lineReceived(state, 1, '/HELP').flatMap((effect) => (effect.kind === 'send' ? [effect.line] : []));
  assert.equal(lines.at(-1), 'OK HELP');
  return lines.flatMap((line) => (line.startsWith('HELP ') ? [line.slice('HELP '.length)] : []));
}

async function places(): Promise<Places> {
  const canonical = JSON.parse(fs.readFileSync(path.join(PROFILES_DIR, 'canonical.json'), 'utf8')) as { commands: Record<string, unknown> };
  const scenarios = readScenarios(featureFiles([path.join(PROJECT_ROOT, 'features')]), PROJECT_ROOT);
  const protocol = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'PROTOCOL.md'), 'utf8');
  const table = protocol.slice(protocol.indexOf('\n## §6 Command table'), protocol.indexOf('\n### §6.1'));
  return {
    protocolTable: new Set([...table.matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]!)),
    profileCommands: new Set(Object.keys(canonical.commands)),
    scenarioTags: new Set(scenarios.flatMap((s) => s.tags)),
    rubrics: ['course', 'strict'].map((name) => ({ name, rubric: loadRubric(name, PROJECT_ROOT) })),
    serverHelp: serverHelp(),
    // No --profile: the dialect the client speaks by default, the canonical one.
    clientDialect: loadDialect(),
  };
}

/** A plausible value for an argument, by its name, to type and render a command. */
const SAMPLE: Record<string, string> = {
  nick: 'bob', nicks: 'bob', channel: '#room', text: 'hello there', name: 'a.txt', size: '3', base64: 'YWJj',
  password: 'secret', address: '192.0.2.1', count: '5', token: 't1', word: 'FOO',
};

/** Every piece `name` lacks, in words; empty when it has them all. */
function missingPieces(name: string, facts: CommandFacts, where: Places): string[] {
  const missing: string[] = [];
  if (!where.profileCommands.has(name)) missing.push(`${name}: no entry in profiles/canonical.json "commands"`);
  if (!where.scenarioTags.has(facts.tag)) missing.push(`${name}: no scenario in features/ is tagged ${facts.tag}`);
  for (const { name: rubric, rubric: compiled } of where.rubrics) {
    // A scenario of the command's main effect on its level: the rubric must name the tag in a category.
    if (categoryOf(compiled, [`@${facts.level}`, facts.tag, '@course', '@core']) === undefined) missing.push(`${name}: no category of rubrics/${rubric}.json takes @${facts.level} ${facts.tag}`);
  }
  // An extension or bonus command's scenarios must belong to an optional feature a submission can declare
  // not implemented (grading/manifest.ts); otherwise they would silently count as required.
  if ((facts.level === 'extension' || facts.level === 'bonus') && optionalFeatureOf([`@${facts.level}`, facts.tag]) === undefined) {
    missing.push(`${name}: no optional feature of grading/manifest.ts (OPTIONAL_FEATURES) takes ${facts.tag}`);
  }
  if (facts.probe) return missing; // the harness's unknown word: not in PROTOCOL.md, no help line, not typed by anyone
  if (!where.protocolTable.has(name)) missing.push(`${name}: no row in the command table of docs/PROTOCOL.md §6`);
  const usage = facts.word === undefined ? facts.help?.usage : `/${facts.word}`;
  if (usage === undefined || !where.serverHelp.some((line) => line.startsWith(`${usage} `))) {
    missing.push(`${name}: no line of the reference server's /HELP starts with ${usage ?? 'its usage (the catalogue has no help for it)'}`);
  }
  const args = Object.fromEntries(argumentsOf(facts).map((arg) => [arg, SAMPLE[arg] ?? 'x']));
  const line = [facts.word === undefined ? undefined : `/${facts.word}`, ...Object.values(args)].filter((part) => part !== undefined).join(' ');
  const typed = parseTyped(line);
  if (typed.kind === 'raw' || typed.kind === 'empty') missing.push(`${name}: the reference client does not accept the typed line ${JSON.stringify(line)}`);
  const command: ClientCommand = { name: name as ClientCommand['name'], args };
  if (where.clientDialect.render(command) === undefined) missing.push(`${name}: the reference client's default dialect cannot render it`);
  return missing;
}

function check(catalogue: Readonly<Record<string, CommandFacts>>, where: Places): string[] {
  return Object.entries(catalogue).flatMap(([name, facts]) => missingPieces(name, facts, where));
}

test('every command of the catalogue has its profile entry, scenarios, rubric categories, help line and client rendering', async () => {
  assert.ok(Object.keys(COMMANDS).length >= 26);
  assert.deepEqual(check(COMMANDS, await places()), []);
});

test('a command added to the catalogue alone is reported, each missing piece by name (the check can fail)', async () => {
  // A made-up command (so that no real one ever takes its name), shaped like docs/ADDING-A-COMMAND.md's /TOPIC.
  const frobnicate: CommandFacts = { word: 'FROBNICATE', args: [], text: 'text', channel: true, role: 'admin', tag: '@frobnicate', level: 'v1', help: { usage: '/FROBNICATE <text>', text: 'frobnicate your current channel' } };
  assert.deepEqual(check({ ...COMMANDS, frobnicate }, await places()), [
    'frobnicate: no entry in profiles/canonical.json "commands"',
    'frobnicate: no scenario in features/ is tagged @frobnicate',
    'frobnicate: no category of rubrics/course.json takes @v1 @frobnicate',
    'frobnicate: no category of rubrics/strict.json takes @v1 @frobnicate',
    'frobnicate: no row in the command table of docs/PROTOCOL.md §6',
    "frobnicate: no line of the reference server's /HELP starts with /FROBNICATE",
    'frobnicate: the reference client does not accept the typed line "/FROBNICATE hello there"',
    "frobnicate: the reference client's default dialect cannot render it",
  ]);
});

test('an extension or bonus command with no optional feature in grading/manifest.ts is reported', async () => {
  const frobnicate: CommandFacts = { word: 'FROBNICATE', args: [], tag: '@frobnicate', level: 'bonus', help: { usage: '/FROBNICATE', text: 'frobnicate' } };
  assert.ok(check({ frobnicate }, await places()).includes('frobnicate: no optional feature of grading/manifest.ts (OPTIONAL_FEATURES) takes @frobnicate'));
});
