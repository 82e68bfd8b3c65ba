/**
 * `npm run profile:check -- <name-or-path>`: validate a dialect profile and say what it can express
 * (commands) and recognise (events), so a profile author sees which scenarios will be gradable.
 * Exit 0 when valid, 2 when invalid (with one line per problem) or when used wrongly.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { COMMAND_NAMES, EVENT_FIELDS, EVENT_NAMES } from './dialect/catalogue.ts';
import { loadProfile, ProfileError } from './dialect/load-profile.ts';
import type { Profile } from './dialect/profile-types.ts';
import { describeVariants } from './dialect/variants.ts';

const USAGE = 'usage: npm run profile:check -- <profile name (profiles/<name>.json) or path>';

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
  const warnings: string[] = [];
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
  out.push(`  framing      ${profile.framing}${profile.stripAnsi ? ', ANSI escapes stripped' : ''}`);
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

/** Returns the exit code; prints to the given streams (tests pass their own). */
export function main(argv: string[], out: (text: string) => void, err: (text: string) => void): number {
  let target: string | undefined;
  try {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new Error('expected exactly one profile');
    target = positionals[0];
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    out(describeProfile(loadProfile(target!)));
    return 0;
  } catch (error) {
    if (error instanceof ProfileError) {
      err(error.message);
      return 2;
    }
    throw error;
  }
}

// Only when run as the CLI, not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), (t) => console.log(t), (t) => console.error(t));
}
