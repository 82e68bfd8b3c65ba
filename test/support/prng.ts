/** The tests' seedable PRNG is the harness's own (one copy): harness/prng.ts. */
export { prng, type Random } from '../../harness/prng.ts';
