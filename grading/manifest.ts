/**
 * A submission's feature manifest: an optional `chat-conformance.json` at its root saying which optional
 * parts of the protocol (the @extension and @bonus features) it implements. It changes no point: a
 * scenario earns what it earns. It changes how a failure is reported: a failure in a feature the
 * submission declares it does not implement is "not implemented (declared)", listed apart without its
 * transcript; one in a feature it claims is "claimed but broken", a bug to fix. Without a manifest every
 * failure is reported as before.
 *
 * The file comes from the student: anything wrong with it is said in the grade, and the grade goes on as
 * if there were none (never an error of the grader).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaValidator } from '../common/json-schema.ts';

export const MANIFEST_FILE = 'chat-conformance.json';
const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'manifest.schema.json');
/** Bigger than any honest manifest; a bigger file is not read. */
const MAX_BYTES = 64 * 1024;

/**
 * The optional features a manifest can name, their names for people, and the scenarios each covers: by
 * command tag first; an optional scenario tagged by what it checks instead (`@syntax`, `@help`,
 * `@register`) belongs to the feature its name cites. First match wins.
 */
export const OPTIONAL_FEATURES = [
  { id: 'console', tags: ['@console'], named: /console/i, title: 'the server console (§5.18)' },
  { id: 'file-transfer', tags: ['@send', '@recv', '@data'], named: /\/(?:SEND|DATA|RECV)\b|file transfer/i, title: '/SEND, /DATA and /RECV (file transfer)' },
  { id: 'history', tags: ['@history'], named: /\/HISTORY\b/i, title: '/HISTORY' },
  { id: 'kill', tags: ['@kill'], named: /\/KILL\b/i, title: '/KILL' },
  { id: 'ban', tags: ['@ban', '@unban'], named: /\/(?:UN)?BAN\b/i, title: '/BAN and /UNBAN' },
  { id: 'oper', tags: ['@oper', '@global'], named: /\/(?:OPER|GLOBAL)\b|operator commands/i, title: '/OPER and /GLOBAL' },
] as const;

export type OptionalFeature = (typeof OPTIONAL_FEATURES)[number]['id'];

export interface Manifest {
  /** Where it was read from (for the reports). */
  source: string;
  implements: OptionalFeature[];
}

/** What reading a submission's manifest gave: one, none, or a problem to say in the grade. */
export type ManifestReading = { manifest: Manifest; problem?: undefined } | { manifest?: undefined; problem?: string };

/** The optional feature a scenario belongs to, when it is optional (@extension or @bonus). */
export function optionalFeatureOf(tags: readonly string[], name = ''): (typeof OPTIONAL_FEATURES)[number] | undefined {
  if (!tags.includes('@extension') && !tags.includes('@bonus')) return undefined;
  return OPTIONAL_FEATURES.find((f) => f.tags.some((t) => tags.includes(t))) ?? OPTIONAL_FEATURES.find((f) => f.named.test(name));
}

/** Read and check `file`; a missing file is no manifest, a bad one is a problem (never a throw). */
export function readManifest(file: string): ManifestReading {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { problem: `${MANIFEST_FILE} is not a file` };
    if (stat.size > MAX_BYTES) return { problem: `${MANIFEST_FILE} is ${stat.size} bytes, more than ${MAX_BYTES}: not read` };
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `${MANIFEST_FILE} cannot be read: ${(error as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `${MANIFEST_FILE} is not valid JSON (${(error as Error).message}): ignored` };
  }
  const validate = schemaValidator(SCHEMA_FILE);
  if (!validate(parsed)) {
    const why = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
    return { problem: `${MANIFEST_FILE} ignored: ${why} (known features: ${OPTIONAL_FEATURES.map((f) => f.id).join(', ')})` };
  }
  return { manifest: { source: file, implements: [...(parsed as { implements: OptionalFeature[] }).implements] } };
}
