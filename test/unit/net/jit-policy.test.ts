/**
 * The server process's JIT policy (reference-server/net/jit-policy.ts): with it, a small hot function
 * reaches optimised code after far fewer calls than with V8's default budget, and the server's command
 * line makes V8 compile on the server's own thread. What that buys in throughput is measured by
 * `npm run bench:compare`, not here; this checks that each part takes effect where it is set.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../../reference-server/net/jit-policy.ts';
import { referenceTarget } from '../../../bench/targets.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/jit/calls-until-optimised.ts', import.meta.url));
const COMPILE_MODE = fileURLToPath(new URL('../../fixtures/jit/compile-mode.mjs', import.meta.url));

/** The modes V8 compiled the fixture's hot function in (--trace-opt). */
function compileModes(nodeFlags: readonly string[], argument?: string): string[] {
  const out = execFileSync(process.execPath, [...nodeFlags, '--trace-opt', COMPILE_MODE, ...(argument === undefined ? [] : [argument])], { encoding: 'utf8', timeout: 30_000 });
  return [...out.matchAll(/compiling method .*<JSFunction hot .*mode: ConcurrencyMode::(\w+)/g)].map((match) => match[1]!);
}

function callsUntilOptimised(policy: 'early' | 'default'): number {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '--import', 'tsx', FIXTURE, policy], { encoding: 'utf8', timeout: 30_000 });
  return Number(out.trim());
}

describe('the server JIT policy', () => {
  it('gets a hot function optimised in a fraction of the calls V8 needs by default', () => {
    const early = callsUntilOptimised('early');
    const byDefault = callsUntilOptimised('default');
    assert.ok(byDefault > 0 && byDefault < 100_000, `by default the function was optimised after ${byDefault} calls`);
    assert.ok(early * 4 <= byDefault, `optimised after ${early} calls with the policy, ${byDefault} without`);
  });

  it('compiles on the server\'s own thread when started with its node flags, which only work on the command line', () => {
    const withFlags = compileModes(SERVER_NODE_FLAGS);
    assert.ok(withFlags.length > 0 && withFlags.every((mode) => mode === 'kSynchronous'), `with ${SERVER_NODE_FLAGS.join(' ')}: ${withFlags.join(', ')}`);
    assert.ok(compileModes([]).includes('kConcurrent'), 'V8 compiles on a background thread by default');
    assert.ok(compileModes([], 'runtime').includes('kConcurrent'), 'setting the flag from inside the process changes nothing: it must be on the command line');
  });

  it('is on the command line of every way the project starts the server for traffic', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const [where, command] of [['npm run server', scripts.server!], ['bench:compare reference target', referenceTarget.command(1459, '/tmp')]]) {
      for (const flag of SERVER_NODE_FLAGS) assert.ok(command.split(' ').includes(flag), `${where} lacks ${flag}: ${command}`);
    }
  });
});
