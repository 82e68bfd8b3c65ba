/**
 * One benchmark run: optionally spawn the server, run the load, read the server's memory and CPU.
 * Shared by the `bench` CLI and by `bench:compare`.
 */
import { performance } from 'node:perf_hooks';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';
import { spawnServer, type ServerProcess, type SpawnOptions } from './server-process.ts';

export interface BenchReport extends LoadResult {
  target: string;
  /** Only when the bench spawned the server. */
  server?: {
    /** Peak RSS over the whole life of the server (VmHWM), bytes. */
    peakRssBytes?: number;
    /** The server's CPU over the measured run, in cores (1.0 = one core busy). */
    cores?: number;
    /**
     * Server CPU time per delivery over the measured phase, µs. Unlike deliveries/s, this barely moves
     * when other processes compete for the cores (a descheduled server uses no CPU).
     */
    cpuMicrosPerDelivery?: number;
  };
}

export type LoadParameters = Omit<LoadOptions, 'host' | 'port'>;

/** Runs `load` against a server the caller already has (spawned or external). */
export async function runOnServer(target: string, host: string, port: number, load: LoadParameters, server?: ServerProcess): Promise<BenchReport> {
  // The server's CPU over the measured phase only (setup costs differ wildly and are not the point).
  let cpuStart: number | undefined;
  let cpuEnd: number | undefined;
  let startedAt = 0;
  let wallMs = 0;
  const onMeasured = (edge: 'start' | 'end'): void => {
    if (edge === 'start') {
      cpuStart = server?.cpuMs();
      startedAt = performance.now();
    } else {
      cpuEnd = server?.cpuMs();
      wallMs = performance.now() - startedAt;
    }
  };
  const result = await runLoad({ ...load, host, port, onMeasured });
  const report: BenchReport = { target, ...result };
  if (server !== undefined) {
    report.server = {
      peakRssBytes: server.peakRssBytes(),
      // /proc counts CPU in 10 ms ticks: on a 100 ms phase this is +-10%, enough to see a saturated core.
      cores: cpuStart !== undefined && cpuEnd !== undefined && wallMs > 0 ? Math.round(((cpuEnd - cpuStart) / wallMs) * 100) / 100 : undefined,
      cpuMicrosPerDelivery: cpuStart !== undefined && cpuEnd !== undefined && result.received > 0 ? Math.round(((cpuEnd - cpuStart) * 1000 * 1000) / result.received) / 1000 : undefined,
    };
  }
  return report;
}

/** Spawns a server, runs the load against it, stops it (always). */
export async function runSpawned(target: string, spawnOptions: SpawnOptions, load: LoadParameters): Promise<BenchReport> {
  const server = await spawnServer(spawnOptions);
  try {
    return await runOnServer(target, server.host, server.port, load, server);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- server output ---\n${server.output()}`);
  } finally {
    await server.stop();
  }
}

/** A whole-number command-line option of at least `least`; anything else is a usage error naming it. */
export function integerOption(name: string, text: string, least = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} must be an integer of at least ${least}, got "${text}"`);
  return value;
}

/** "host:port" -> parts; loopback only (the bench never sends load anywhere else). */
export function parseTarget(target: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(target);
  if (!match) throw new Error(`--target must be host:port, got "${target}"`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  if (!isLoopback(host)) throw new Error(`--target must be a loopback address (127.0.0.0/8, ::1, localhost), got "${host}"`);
  return { host, port: Number(match[2]) };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function formatReport(report: BenchReport): string {
  const mb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MiB`);
  const lines = [
    `target            ${report.target} (${report.dialect} dialect)`,
    `workload          ${report.clients} clients x ${report.senders} senders x ${report.messages} messages, window ${report.window}, warm-up ${report.warmup} per sender`,
    `setup             ${report.setupMs} ms`,
    `deliveries        expected ${report.expected}, received ${report.received}, lost ${report.lost}, out of order ${report.outOfOrder}`,
    `throughput        ${report.deliveriesPerSec} deliveries/s over ${report.durationMs} ms (${report.ended})`,
    `latency           p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `generator CPU     ${report.generatorCores} cores over ${report.workers} worker thread(s), busiest thread ${report.generatorBusiestThread}${report.generatorSaturated ? '  (SATURATED: the generator may be the bottleneck)' : ''}`,
  ];
  if (report.server !== undefined) {
    lines.push(`server CPU        ${report.server.cores ?? 'n/a'} cores (measured phase), ${report.server.cpuMicrosPerDelivery ?? 'n/a'} µs per delivery`);
    lines.push(`server peak RSS   ${mb(report.server.peakRssBytes)}`);
  }
  if (report.disconnects > 0) lines.push(`disconnects       ${report.disconnects}`);
  for (const error of report.errors) lines.push(`error             ${error}`);
  return lines.join('\n');
}
