/**
 * The bundled reference server, started in this process on an ephemeral loopback port. Loaded lazily so a
 * run against another target never imports it.
 */
import { randomBytes } from 'node:crypto';
import type { RunningServer, ServerOptions } from '../../reference-server/index.ts';
import { RestartableTarget } from './restartable.ts';
import { TailBuffer } from './tail-buffer.ts';
import { TargetStartError, type TargetInstance } from './types.ts';

export function embeddedReferenceServer(): RestartableTarget {
  // A random operator password: @operator scenarios get it through worldParameters, nobody can guess it.
  const operPassword = randomBytes(9).toString('base64url');
  const log = new TailBuffer(50);
  const launch = async (): Promise<TargetInstance> => {
    let server: RunningServer;
    try {
      const { startServer } = await import('../../reference-server/index.ts');
      const options: Partial<ServerOptions> = { host: '127.0.0.1', port: 0, operPassword, log: (line: string) => log.push(`${line}\n`) };
      server = await startServer(options);
    } catch (error) {
      throw new TargetStartError(`the embedded reference server did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return {
      address: { host: server.host, port: server.port },
      died: new Promise<string>(() => {}), // in-process: if it crashed, so did the runner
      stop: async () => {
        await server.close().catch(() => undefined);
      },
      killNow: () => {},
    };
  };
  return new RestartableTarget(launch, (a) => `reference server (embedded)${a ? ` on ${a.host}:${a.port}` : ''}`, operPassword);
}
