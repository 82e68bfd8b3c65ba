/** The tests' seedable PRNG is the harness's own (one copy): harness/load/prng.ts. */
export { prng, type Random } from '../../harness/load/prng.ts';
