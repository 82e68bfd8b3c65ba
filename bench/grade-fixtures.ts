/**
 * The submissions `npm run bench:grade` grades: fixture servers that stand for the kinds of submission a
 * class hands in, so "how long does grading take" is measured on each kind rather than guessed.
 *
 * - reference: the grader on its bundled reference server (no --server): the suite's own pace, the floor
 *   every other fixture is compared with; reference-parallel: the same with --parallel 2
 * - barrier: the reference server spawned as a submission (answers /PING: the harness synchronises on it)
 * - no-barrier: the seed dialect (test/fixtures/dialect-servers/seed.ts): French free text, no /PING, so
 *   every "nothing happens" check and every silent command needs a timed wait
 * - slow: the same, writing every reply 25 ms late (a busy thread, a sleep in the loop, a slow machine)
 * - crashy: the same, exiting on every 40th connection (the runner restarts it; the scenario that saw it
 *   fails and carries the crash)
 * - client: the seed server graded through a client program in the style of the course's client.py
 *   (--client, profile seed-client): every user is a process
 * - barrier-parallel: the reference server again with --parallel 2, to compare with barrier
 * - slow-parallel: the slow one with --parallel 2, to compare with slow (a server without a barrier is
 *   mostly waited for: the lanes overlap the waits)
 *
 * Each server starts from its bundle (test/support/fixture-command.ts: plain JavaScript, about 0.08 s of
 * CPU to listen), as a compiled or interpreted submission starts, not through tsx's module hooks (0.3-0.4 s
 * of CPU each start): the bench measures the harness, and a grading run restarts a server some 35 times
 * (@server-wide and @pristine scenarios), which through tsx was 12 s of the 2 cores' CPU on its own.
 */
import { fixtureBundle } from '../test/support/fixture-command.ts';

/** One fixture submission: the grader's arguments (besides --reports), made when it is graded. */
export interface GradeFixture {
  name: string;
  what: string;
  args: () => string[];
  /** The fixture this one is the --parallel 2 run of: the report gives the speed-up over it. */
  parallelOf?: string;
}

/** Bundled (once, then cached) only when a fixture that needs it is graded. */
const seed = (): string => `node ${fixtureBundle('test/fixtures/dialect-servers/seed.ts')} {port}`;
const reference = (): string => `node ${fixtureBundle('reference-server/net/cli.ts')} --host 127.0.0.1 --port {port} --oper-password bench`;

export const REPLY_DELAY_MS = 25;
export const CRASH_EVERY = 40;

export const GRADE_FIXTURES: readonly GradeFixture[] = [
  { name: 'reference', what: 'bundled reference server, in the grader\'s process', args: () => [] },
  { name: 'reference-parallel', what: 'the same with --parallel 2', args: () => ['--parallel', '2'], parallelOf: 'reference' },
  { name: 'barrier', what: 'reference server spawned, /PING barrier', args: () => ['--server', reference(), '--oper-password', 'bench'] },
  {
    name: 'barrier-parallel',
    what: 'the same with --parallel 2',
    args: () => ['--server', reference(), '--oper-password', 'bench', '--parallel', '2'],
    parallelOf: 'barrier',
  },
  { name: 'no-barrier', what: 'seed dialect fixture, no barrier', args: () => ['--server', seed(), '--profile', 'seed'] },
  {
    name: 'slow',
    what: `seed fixture, every reply ${REPLY_DELAY_MS} ms late`,
    args: () => ['--server', `${seed()} --reply-delay ${REPLY_DELAY_MS}`, '--profile', 'seed'],
  },
  {
    name: 'slow-parallel',
    what: 'the same with --parallel 2',
    args: () => ['--server', `${seed()} --reply-delay ${REPLY_DELAY_MS}`, '--profile', 'seed', '--parallel', '2'],
    parallelOf: 'slow',
  },
  {
    name: 'crashy',
    what: `seed fixture, exits on every ${CRASH_EVERY}th connection`,
    args: () => ['--server', `${seed()} --crash-every ${CRASH_EVERY}`, '--profile', 'seed'],
  },
  {
    name: 'client',
    what: 'seed fixture through its own client (seed-client.mjs)',
    args: () => ['--server', seed(), '--client', 'node test/fixtures/dialect-servers/seed-client.mjs {host} {port}', '--profile', 'seed-client'],
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
