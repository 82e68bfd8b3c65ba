/**
 * The submissions `npm run bench:grade` grades: fixture servers that stand for the kinds of submission a
 * class hands in, so "how long does grading take" is measured on each kind rather than guessed.
 *
 * - barrier: the reference server spawned as a submission (answers /PING: the harness synchronises on it)
 * - no-barrier: the seed dialect (test/fixtures/dialect-servers/seed.ts): French free text, no /PING, so
 *   every "nothing happens" check and every silent command needs a timed wait
 * - slow: the same, writing every reply 25 ms late (a busy thread, a sleep in the loop, a slow machine)
 * - crashy: the same, exiting on every 40th connection (the runner restarts it; the scenario that saw it
 *   fails and carries the crash)
 * - client: the seed server graded through a client program in the style of the course's client.py
 *   (--client, profile seed-client): every user is a process
 * - barrier-parallel: the reference server again with --parallel 2, to compare with barrier
 */

/** One fixture submission: the grader's arguments (besides --reports). */
export interface GradeFixture {
  name: string;
  what: string;
  args: string[];
}

const TSX = 'node --import tsx';
const SEED = `${TSX} test/fixtures/dialect-servers/seed.ts {port}`;
const REFERENCE = `${TSX} reference-server/net/cli.ts --host 127.0.0.1 --port {port} --oper-password bench`;

export const REPLY_DELAY_MS = 25;
export const CRASH_EVERY = 40;

export const GRADE_FIXTURES: readonly GradeFixture[] = [
  { name: 'barrier', what: 'reference server spawned, /PING barrier', args: ['--server', REFERENCE, '--oper-password', 'bench'] },
  {
    name: 'barrier-parallel',
    what: 'the same with --parallel 2',
    args: ['--server', REFERENCE, '--oper-password', 'bench', '--parallel', '2'],
  },
  { name: 'no-barrier', what: 'seed dialect fixture, no barrier', args: ['--server', SEED, '--profile', 'seed'] },
  {
    name: 'slow',
    what: `seed fixture, every reply ${REPLY_DELAY_MS} ms late`,
    args: ['--server', `${SEED} --reply-delay ${REPLY_DELAY_MS}`, '--profile', 'seed'],
  },
  {
    name: 'crashy',
    what: `seed fixture, exits on every ${CRASH_EVERY}th connection`,
    args: ['--server', `${SEED} --crash-every ${CRASH_EVERY}`, '--profile', 'seed'],
  },
  {
    name: 'client',
    what: 'seed fixture through its own client (seed-client.mjs)',
    args: ['--server', SEED, '--client', 'node test/fixtures/dialect-servers/seed-client.mjs {host} {port}', '--profile', 'seed-client'],
  },
];

/** The fixtures named in `only` (comma-separated), in the table's order; throws on an unknown name. */
export function pickFixtures(only: string | undefined): GradeFixture[] {
  if (only === undefined) return [...GRADE_FIXTURES];
  const names = only.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    if (!GRADE_FIXTURES.some((f) => f.name === name)) {
      throw new Error(`unknown fixture "${name}" (known: ${GRADE_FIXTURES.map((f) => f.name).join(', ')})`);
    }
  }
  return GRADE_FIXTURES.filter((f) => names.includes(f.name));
}
