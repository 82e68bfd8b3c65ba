/**
 * The proof that the @limits scenarios can fail (docs/PROOF.md). They run through Cucumber and the
 * runner's control endpoint exactly as in `npm run conformance`, against three embedded servers:
 * - the reference server: every scenario passes;
 * - the reference server whose launcher IGNORES the limits a scenario asks for (a server that does not
 *   enforce §7): every scenario fails, except the one that checks the opposite fault (a limit counted
 *   on connections ever made), which a server without limit passes by design. Without this run, a
 *   scenario that never reaches its limit (e.g. a flood that the kernel's buffers absorb) would pass
 *   both servers and prove nothing;
 * - the reference server behind a proxy that refuses every connection after the first N ever made
 *   (the limit counted on connections ever made, not current ones): exactly that scenario fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, loadSupport, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { runSuiteInProcess } from '../../../harness/run/in-process-run.ts';
import { embeddedReferenceServer, type StartReferenceServer } from '../../../harness/target/embedded.ts';
import { LIMIT_KEYS } from '../../../harness/target/types.ts';
import { buildRunModel, type ScenarioResult } from '../../../harness/reports/run-model.ts';
import { PROJECT_ROOT, scenarioKey } from './support/conformance-run.ts';
import type { RestartableTarget } from '../../../harness/target/restartable.ts';

const LIMITS_FEATURE = path.join(PROJECT_ROOT, 'features', 'limits.feature');

/** The reference server, started with every §7 limit left at its default whatever was asked. */
const ignoringLimits: StartReferenceServer = async (options) => {
  const { startServer } = await import('../../../reference-server/index.ts');
  const kept = { ...options };
  for (const key of LIMIT_KEYS) delete kept[key];
  return startServer(kept);
};

/**
 * The reference server behind a loopback proxy that counts every connection it ever accepted and turns
 * away those beyond the limit with the §2.3 refusal; the other limits reach the server unchanged.
 */
const countingConnectionsEverMade: StartReferenceServer = async (options) => {
  const { startServer } = await import('../../../reference-server/index.ts');
  const { maxConnections, ...rest } = options;
  const inner = await startServer(rest);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): net.Socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  let made = 0;
  const proxy = net.createServer((client) => {
    track(client);
    made += 1;
    if (maxConnections !== undefined && made > maxConnections) {
      client.end('ERR SERVER_FULL too many connections\n');
      return;
    }
    const upstream = track(net.connect({ host: inner.host, port: inner.port }));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (proxy.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, inner.close()]);
    },
    consoleLine: (line) => inner.consoleLine(line),
    stats: () => inner.stats(),
  };
};

const CURRENT_CONNECTIONS = 'features/limits.feature: The limit counts current connections: after a user quits, a new one is accepted';

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

let support: ISupportCodeLibrary | undefined;

/** Step definitions are ES modules, imported once per process: load them once, reuse for both runs. */
async function supportCode(): Promise<ISupportCodeLibrary> {
  if (!support) {
    const { runConfiguration } = await loadConfiguration(
      { provided: { import: [path.join(PROJECT_ROOT, 'steps', '**', '*.ts')], paths: [LIMITS_FEATURE] } },
      { cwd: PROJECT_ROOT },
    );
    support = await loadSupport(runConfiguration, { cwd: PROJECT_ROOT, stdout: silent, stderr: process.stderr });
  }
  return support;
}

async function runLimitsFeature(target: RestartableTarget, timeoutMs: number): Promise<ScenarioResult[]> {
  const envelopes: Envelope[] = [];
  await runSuiteInProcess({
    target,
    features: [LIMITS_FEATURE],
    support: await supportCode(),
    timeoutMs,
    failFast: false,
    cwd: PROJECT_ROOT,
    onEnvelope: (envelope) => envelopes.push(envelope),
  });
  return buildRunModel(envelopes).scenarios;
}

function outcomes(scenarios: ScenarioResult[]): Record<string, string> {
  return Object.fromEntries(scenarios.map((s) => [scenarioKey(s), s.outcome]));
}

describe('the @limits scenarios', { concurrency: 1 }, () => {
  let names: string[] = [];

  it('all pass against the embedded reference server', async () => {
    const scenarios = await runLimitsFeature(embeddedReferenceServer(), 2000);
    names = scenarios.map(scenarioKey).sort();
    assert.ok(names.length >= 5, `expected at least 5 scenarios, ran ${names.length}`);
    assert.deepEqual(
      scenarios.filter((s) => s.outcome !== 'passed').map((s) => `${scenarioKey(s)}: ${s.outcome} ${s.failingStep?.message ?? s.notGradableReason ?? ''}`),
      [],
    );
  });

  it('each fails against a reference server that ignores the limits it is given', async () => {
    // A shorter expectation timeout: each scenario fails by waiting out one expectation.
    const scenarios = await runLimitsFeature(embeddedReferenceServer(ignoringLimits), 1200);
    assert.deepEqual(scenarios.map(scenarioKey).sort(), names, 'the same scenarios ran');
    const expected = Object.fromEntries(names.map((name) => [name, name === CURRENT_CONNECTIONS ? 'passed' : 'failed']));
    assert.deepEqual(outcomes(scenarios), expected);
    // Failed for the right reason: at the check of what the limit does, not while setting the scene.
    const failingSteps = scenarios.filter((s) => s.outcome === 'failed').map((s) => s.failingStep?.text ?? 'no failing step');
    for (const step of failingSteps) {
      assert.match(step, /^(Then|And) \w+ (is (turned away with (SERVER_FULL|TIMEOUT)|disconnected by the server)|gets alice's numbered messages \d+ to \d+)$/);
    }
  });

  it('only the "current connections" scenario fails against a server that counts connections ever made', async () => {
    const scenarios = await runLimitsFeature(embeddedReferenceServer(countingConnectionsEverMade), 1200);
    const expected = Object.fromEntries(names.map((name) => [name, name === CURRENT_CONNECTIONS ? 'failed' : 'passed']));
    assert.deepEqual(outcomes(scenarios), expected);
  });
});
