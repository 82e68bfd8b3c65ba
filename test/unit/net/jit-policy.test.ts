/**
 * The server process's JIT policy (reference-server/net/jit-policy.ts): with it, a small hot function
 * reaches optimised code after far fewer calls than with V8's default budget. What that buys in
 * throughput is measured by `npm run bench:compare`, not here; this checks that the policy takes effect
 * when set at run time, which is how the server sets it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../../fixtures/jit/calls-until-optimised.ts', import.meta.url));

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
});
