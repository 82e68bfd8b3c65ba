/** Public entry of the reference server: start it in-process (tests, the conformance harness, benchmarks). */
export { startServer } from './net/server.ts';
export type { RunningServer, ServerOptions, NetOptions, ServerStats } from './net/server.ts';
