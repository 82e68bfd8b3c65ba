/**
 * The idle-connection memory test: how much RSS does a server need per registered, silent client?
 * RSS is read from /proc before and after registering `connections` clients (each after a short quiet
 * period), so the figure includes the kernel-visible cost of buffers, objects and, for threaded
 * servers, thread stacks actually touched.
 */
import type { IdleReport } from './compare-report.ts';
import type { BenchDialect } from './dialect.ts';
import { ClientPool } from './client-pool.ts';
import type { ServerProcess } from './server-process.ts';

export async function measureIdle(server: ServerProcess, dialect: BenchDialect, connections: number, concurrency = 128, setupTimeoutMs = 120_000): Promise<IdleReport> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rssBeforeBytes = server.rssBytes() ?? Number.NaN;
  const pool = new ClientPool({ host: server.host, port: server.port, dialect, clients: connections, nickPrefix: 'i', concurrency, setupTimeoutMs });
  try {
    const setupMs = await pool.open();
    await pool.settle(200, 3000);
    // Let lazily freed setup garbage (and a GC) settle, as a long-lived idle server would.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssAfterBytes = server.rssBytes() ?? Number.NaN;
    return {
      connections,
      registered: pool.size,
      setupMs: Math.round(setupMs),
      rssBeforeBytes,
      rssAfterBytes,
      bytesPerConnection: (rssAfterBytes - rssBeforeBytes) / connections,
    };
  } finally {
    pool.close();
  }
}
