/**
 * `npm run profile:check -- <name-or-path>`: validate a dialect profile and say what it can express
 * (commands) and recognise (events), so a profile author sees which scenarios will be gradable.
 * Exit 0 when valid, 2 when invalid (with one line per problem) or when used wrongly.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { COMMAND_ARGS, COMMAND_NAMES, EVENT_FIELDS, EVENT_NAMES } from '../dialect/catalogue.ts';
import { loadProfile, ProfileError } from '../dialect/load-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { describeVariants } from '../dialect/variants.ts';
import { placeholders } from '../dialect/template.ts';
import { describeUngradable, ungradableScenarios } from '../run/profile-gaps.ts';
import { RubricError } from '../../grading/rubric.ts';

const USAGE = 'usage: npm run profile:check -- [--no-scenarios] [--rubric <name|path>] <profile name (profiles/<name>.json) or path>';

/** `^` at the start or `$` at the end of a pattern (not escaped): anchored. */
function isAnchored(source: string): boolean {
  return source.startsWith('^') || (source.endsWith('$') && !source.endsWith('\\$'));
}

/**
 * Problems that do not make a profile invalid but will make it grade badly. In `stream` framing a
 * pattern runs over ALL the text received and not consumed yet, so `^` and `$` tie it to the start or
 * end of that whole buffer: anchored patterns miss replies glued after other text.
 */
export function profileWarnings(profile: Profile): string[] {
  const warnings = wireWarnings(profile);
  if (profile.framing !== 'stream') return warnings;
  const check = (where: string, patterns: readonly RegExp[]): void => {
    for (const pattern of patterns) if (isAnchored(pattern.source)) warnings.push(`${where}: anchored pattern /${pattern.source}/ in stream framing (remove ^ and $)`);
  };
  check('connect.greeting', profile.greeting);
  profile.register.forEach((step, i) => step.kind === 'expect' && check(`register[${i}].expect`, step.patterns));
  check('replies.ok', profile.okReply);
  check('replies.error', profile.errorReply.map((e) => e.pattern));
  for (const [name, spec] of Object.entries(profile.commands)) {
    check(`commands.${name}.ok`, spec.ok);
    check(`commands.${name}.data`, spec.data);
  }
  for (const [name, patterns] of Object.entries(profile.events)) check(`events.${name}`, patterns);
  if (profile.barrier && isAnchored(profile.barrier.expect)) warnings.push(`capabilities.barrier.expect: anchored pattern in stream framing (remove ^ and $)`);
  return warnings;
}

/** Sample values for filling templates in checks: names and numbers a server would plausibly send. */
const SAMPLE = 'x1';

/** Warnings about the wire extensions: terminators, pauses, idle framing, expand rules, values, names, templates. */
function wireWarnings(profile: Profile): string[] {
  const warnings: string[] = [];
  if (profile.lineEnding === '' && profile.sendPauseMs === 0) {
    warnings.push('wire.lineEnding is "": without wire.sendPauseMs, two commands sent in quick succession can arrive as one chunk the server reads as one command');
  }
  if (profile.sendPauseMs > 1000) warnings.push(`wire.sendPauseMs ${profile.sendPauseMs}: every command waits that long; a full run will be slow`);
  if (profile.framing === 'idle') {
    if (profile.idleMs < 50) warnings.push(`wire.idleMs ${profile.idleMs}: a server that writes one reply in several pieces is cut into several units; 100 ms or more is safer`);
    if (profile.split === undefined) warnings.push('idle framing without wire.split: replies and events sent in one burst are one unit, and a match consumes all of it');
  }
  const readers = [
    ...profile.okReply,
    ...profile.errorReply.map((e) => e.pattern),
    ...Object.values(profile.commands).flatMap((c) => [...c.ok, ...c.data]),
    ...Object.values(profile.events).flat(),
  ];
  profile.expand.forEach((rule, i) => {
    rule.into.forEach((template, j) => {
      const sample = template.replace(/\{([A-Za-z_]\w*)\}/g, SAMPLE);
      // A unit that is only placeholders ("{rest}") says nothing to check: what it holds comes from the wire.
      if (template.replace(/\{([A-Za-z_]\w*)\}/g, '').trim() === '') return;
      if (!readers.some((pattern) => pattern.test(sample))) warnings.push(`wire.expand[${i}].into[${j}]: "${template}" makes units that no reply or event pattern reads`);
    });
  });
  const captured = new Set([...readers, ...(profile.who ? [profile.who.member] : [])].flatMap((p) => [...p.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!)));
  for (const placeholder of Object.values(profile.eventTemplates).flatMap((list) => list ?? []).flatMap((t) => (t ? [...t.matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]!) : []))) captured.add(placeholder);
  for (const field of Object.keys(profile.values)) {
    if (!captured.has(field)) warnings.push(`values.${field}: no pattern captures a field "${field}", so this mapping is never used`);
  }
  for (const kind of ['nick', 'channel'] as const) {
    const rule = profile.names[kind];
    if (rule?.maxLength !== undefined && rule.maxLength - (rule.prefix ?? '').length < 8) {
      warnings.push(`names.${kind}.maxLength ${rule.maxLength}: little room besides the 5-character scenario suffix; logical names are cut to ${Math.max(1, rule.maxLength - (rule.prefix ?? '').length - 5)} character(s)`);
    }
  }
  for (const name of COMMAND_NAMES) {
    const spec = profile.commands[name];
    if (!spec) continue;
    const used = new Set(spec.templates.flatMap((t) => placeholders(t)));
    const dropped = COMMAND_ARGS[name].filter((arg) => !used.has(arg));
    if (dropped.length > 0) {
      warnings.push(`commands.${name}: no template uses ${dropped.map((a) => `{${a}}`).join(', ')}, so scenarios that give ${dropped.length > 1 ? 'them' : 'it'} are not gradable (a template never drops an argument silently)`);
    }
  }
  return warnings;
}

/** The report printed for a valid profile. */
export function describeProfile(profile: Profile): string {
  const out: string[] = [`profile "${profile.name}" (${profile.source}) is valid.`];
  if (profile.description) out.push(profile.description);
  out.push('');
  const expressed = COMMAND_NAMES.filter((c) => profile.commands[c]);
  const missing = COMMAND_NAMES.filter((c) => !profile.commands[c]);
  out.push(`commands it can express (${expressed.length}/${COMMAND_NAMES.length}):`);
  for (const name of expressed) {
    const spec = profile.commands[name]!;
    const notes = [spec.silent ? 'silent on success' : '', name === 'msg' && !spec.nickSeparator ? 'one target only' : '']
      .filter(Boolean)
      .join(', ');
    out.push(`  ${name.padEnd(9)} ${spec.templates.map((t) => JSON.stringify(t)).join(' | ')}${notes ? `  (${notes})` : ''}`);
  }
  if (missing.length) out.push(`commands it cannot express: ${missing.join(', ')}`);
  out.push('');
  const recognised = EVENT_NAMES.filter((e) => profile.events[e]);
  out.push(`events it can recognise (${recognised.length}/${EVENT_NAMES.length}):`);
  for (const name of recognised) {
    const groups = new Set(profile.events[name]!.flatMap((p) => [...p.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!)));
    const unchecked = EVENT_FIELDS[name].filter((field) => !groups.has(field));
    out.push(`  ${name}${unchecked.length ? ` (cannot check: ${unchecked.join(', ')})` : ''}`);
  }
  const unrecognised = EVENT_NAMES.filter((e) => !profile.events[e]);
  if (unrecognised.length) out.push(`events it cannot recognise: ${unrecognised.join(', ')}`);
  out.push('');
  out.push('capabilities:');
  out.push(`  barrier      ${profile.barrier ? `yes (${JSON.stringify(profile.barrier.send)})` : 'no: negative checks wait the quiet period'}`);
  out.push(`  lobby        ${profile.lobby ? 'yes' : `no${profile.defaultChannel ? ` (default channel ${profile.defaultChannel})` : ''}`}`);
  out.push(`  rawWire      ${profile.rawWire ? 'yes: framing and bad-input scenarios run' : 'no: framing and bad-input scenarios are not gradable'}`);
  out.push(`  errorCodes   ${profile.errorCodes ? 'yes' : 'no: scenarios that name an error code are not gradable'}`);
  out.push(`  who parsing  ${profile.who ? 'yes' : 'no'}`);
  out.push(`  list parsing ${profile.list ? 'yes' : 'no'}`);
  const wire = [
    profile.framing === 'idle' ? `units end after ${profile.idleMs} ms of silence` : '',
    profile.split ? `units split at /${profile.split.source}/` : '',
    profile.expand.length > 0 ? `${profile.expand.length} expand rule(s)` : '',
    profile.stripAnsi ? 'ANSI escapes stripped' : '',
    `sends end with ${JSON.stringify(profile.lineEnding)}`,
    profile.sendPauseMs > 0 ? `${profile.sendPauseMs} ms between sends` : '',
  ].filter(Boolean);
  out.push(`  framing      ${profile.framing}, ${wire.join(', ')}`);
  const values = Object.entries(profile.values).map(([field, map]) => `${field} (${Object.entries(map).map(([k, v]) => `${JSON.stringify(k)} -> ${v}`).join(', ')})`);
  if (values.length > 0) out.push(`  values       ${values.join('; ')}`);
  const names = (['nick', 'channel'] as const).flatMap((kind) => {
    const rule = profile.names[kind];
    return rule ? [`${kind}: ${[rule.prefix ? `prefix ${JSON.stringify(rule.prefix)}` : '', rule.allowed ? `[${rule.allowed}]` : '', rule.maxLength ? `at most ${rule.maxLength}` : ''].filter(Boolean).join(' ')}`] : [];
  });
  if (names.length > 0) out.push(`  names        ${names.join('; ')}`);
  const console = profile.console;
  out.push(
    `  console      ${
      console
        ? `yes: actor ${JSON.stringify(console.actor)}, commands ${Object.keys(console.commands).join(', ') || 'none'}, answers ${console.answer.length > 0 ? 'read' : 'not read'}`
        : 'no: @console scenarios are not gradable'
    }`,
  );
  const server = profile.server;
  out.push(
    `  server       port ${server.port ?? '{port} (a free one per start)'}, readiness ${server.readiness ?? 'listening'}, restart per ${server.restart ?? 'run'}`,
  );
  const variants = describeVariants(profile.variants);
  out.push('');
  out.push(variants.length > 0 ? `course variants (${variants.length}), not deducted by the course rubric:` : 'course variants: none (every scenario checks PROTOCOL.md\'s rule)');
  for (const variant of variants) out.push(`  ${variant}`);
  const warnings = profileWarnings(profile);
  if (warnings.length > 0) {
    out.push('');
    out.push(`warnings (${warnings.length}):`);
    for (const warning of warnings) out.push(`  - ${warning}`);
  }
  return out.join('\n');
}

interface CheckArgs {
  target: string;
  /** List the scenarios the profile makes not gradable (a run against the bundled reference server). */
  scenarios: boolean;
  rubric?: string;
}

function parseCheckArgs(argv: string[]): CheckArgs {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'no-scenarios': { type: 'boolean', default: false }, rubric: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error('expected exactly one profile');
  return { target: positionals[0]!, scenarios: !values['no-scenarios'], ...(values.rubric !== undefined ? { rubric: values.rubric } : {}) };
}

/**
 * Validate and describe; returns the exit code and, when valid, the profile. Prints to the given streams
 * (tests pass their own).
 */
function check(argv: string[], out: (text: string) => void, err: (text: string) => void): { code: number; profile?: Profile; args?: CheckArgs } {
  let args: CheckArgs;
  try {
    args = parseCheckArgs(argv);
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return { code: 2 };
  }
  try {
    const profile = loadProfile(args.target);
    out(describeProfile(profile));
    return { code: 0, profile, args };
  } catch (error) {
    if (error instanceof ProfileError) {
      err(error.message);
      return { code: 2 };
    }
    throw error;
  }
}

/** The profile's description only (no scenario run): the exit code. */
export function main(argv: string[], out: (text: string) => void, err: (text: string) => void): number {
  return check(argv, out, err).code;
}

/**
 * The command: the description, then (unless --no-scenarios) which scenarios each missing field makes
 * not gradable and the points at stake under the rubric (course by default; harness/run/profile-gaps.ts).
 */
export async function mainWithScenarios(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { code, profile, args } = check(argv, out, err);
  if (code !== 0 || !profile || !args?.scenarios) return code;
  out('');
  out('running the rubric\'s scenarios against the bundled reference server with what this profile lacks ...');
  try {
    out(describeUngradable(await ungradableScenarios(profile, args.rubric !== undefined ? { rubric: args.rubric } : {})));
  } catch (error) {
    if (error instanceof RubricError) {
      err(error.message);
      return 2;
    }
    throw error;
  }
  return 0;
}

// Only when run as the CLI, not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mainWithScenarios(process.argv.slice(2), (t) => console.log(t), (t) => console.error(t)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(3);
    },
  );
}
