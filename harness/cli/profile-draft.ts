/**
 * `npm run profile:draft -- --server "<command with {port}>" [--client "<command>"] [--out file]`: start the
 * server (or use --target), probe it with several users in the course's common spellings and the server's
 * own (harness/draft/draft.ts), and write a draft profile: each inferred field with its evidence and
 * confidence in its "draft" section, the fields it could not infer listed there and left out (their
 * scenarios are then not gradable). The transcript of the probe is written beside it. Exit 0 when a
 * valid draft was written, 2 on bad usage or when the server could not be probed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parseHostPort } from './conformance.ts';
import { createTarget, TargetStartError, type TargetController } from '../target/index.ts';
import { draftProfile } from '../draft/draft.ts';
import { parseProfile, ProfileError } from '../dialect/load-profile.ts';
import { profileWarnings } from './profile-check.ts';
import { UsageError } from '../../common/cli-support.ts';

export const DRAFT_HELP = `Usage: npm run profile:draft -- (--server "<command with {port}>" | --target <host:port>) [options]

Probes a chat server with several users trying the course's commands in their common spellings (/JOIN x,
JOIN x, a bare line, message<text>, with and without a terminator) and in the spellings its own usage text
shows, and writes a draft profile: what it saw, generalised only over the probe's own names and texts.
Each inferred field's evidence and confidence, and the fields it could not infer, are in the profile's
"draft" section; what it did not see is left out, so those scenarios are not gradable rather than guessed.

  --server "<command>"   spawn the server ({port} replaced by a free port), stopped afterwards
  --target <host:port>   a server already running (it should be fresh: the probe creates users and channels)
  --client "<command>"   client-driven mode: each user is this client program ({host}, {port} filled in)
  --out <file>           where to write the draft (default draft-profile.json); <file>.transcript.txt beside it
  --name <name>          the profile's name (default: the file's name)
  --quiet-ms <ms>        silence that ends each answer (default 250; raise it for slow servers)

Then: npm run profile:check -- <file>, and grade with --profile <file> (docs/PROFILES.md "Profile a class").`;

const OPTIONS = {
  server: { type: 'string' },
  target: { type: 'string' },
  client: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  'quiet-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let target: TargetController | undefined;
  try {
    const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true });
    if (v.help) {
      out(DRAFT_HELP);
      return 0;
    }
    if ((v.server === undefined) === (v.target === undefined)) throw new UsageError('give exactly one of --server "<command with {port}>" and --target <host:port>');
    if (v.server !== undefined && !v.server.includes('{port}')) throw new UsageError('--server command must contain {port}');
    const quietMs = v['quiet-ms'] === undefined ? 250 : Number(v['quiet-ms']);
    if (!Number.isInteger(quietMs) || quietMs < 20) throw new UsageError(`--quiet-ms must be an integer >= 20, got "${v['quiet-ms']}"`);
    const file = path.resolve(v.out ?? 'draft-profile.json');
    const name = v.name ?? path.basename(file, '.json');
    target =
      v.server !== undefined
        ? createTarget({ kind: 'spawned', command: v.server, startTimeoutMs: 10_000, operPassword: undefined })
        : createTarget({ kind: 'external', address: parseHostPort(v.target!), operPassword: undefined });
    const address = await target.start();
    const { profile, transcript } = await draftProfile({
      host: address.host,
      port: address.port,
      quietMs,
      maxWaitMs: Math.max(2000, quietMs * 8),
      name,
      ...(v.client !== undefined ? { client: v.client } : {}),
    });
    // The usual order of a profile's sections, so a draft reads like the shipped ones.
    const order = ['name', 'description', 'wire', 'names', 'connect', 'register', 'replies', 'values', 'commands', 'events', 'who', 'list', 'capabilities', 'draft'];
    const ordered = Object.fromEntries(order.filter((key) => key in profile).map((key) => [key, (profile as unknown as Record<string, unknown>)[key]]));
    const text = `${JSON.stringify({ $schema: schemaPath(file), ...ordered }, null, 2)}\n`;
    const compiled = parseProfile(text, file); // a draft that does not load is the draft's bug: say so, write nothing
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.writeFileSync(`${file}.transcript.txt`, `${transcript}\n`);
    const draft = profile.draft;
    out(`Draft written to ${path.relative(process.cwd(), file)} in ${(draft.probeMs / 1000).toFixed(1)} s (probe transcript: ${path.relative(process.cwd(), file)}.transcript.txt)`);
    out(`inferred (${draft.evidence.length}):`);
    for (const e of draft.evidence) out(`  [${e.confidence}] ${e.field}: ${e.seen.replace(/\s+/g, ' ').slice(0, 110)}`);
    out(`not inferred (${draft.notInferred.length}), so their scenarios are not gradable until written by hand:`);
    for (const line of draft.notInferred) out(`  - ${line}`);
    const warnings = profileWarnings(compiled);
    if (warnings.length > 0) out(`profile:check warnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.name === 'TypeError' && /parseArgs|option/i.test(error.message))) {
      err(`profile:draft: ${error.message} (see --help)`);
      return 2;
    }
    if (error instanceof TargetStartError || error instanceof ProfileError) {
      err(`profile:draft: ${error.message}`);
      return 2;
    }
    err(`profile:draft: the probe failed: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await target?.stop();
  }
}

/** The schema, relative to where the draft is written (editors validate it). */
function schemaPath(file: string): string {
  const schema = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'profiles', 'profile.schema.json');
  return path.relative(path.dirname(file), schema).split(path.sep).join('/');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), (t) => console.log(t), (t) => console.error(t));
}
