/**
 * The bundled reference server, started in this process on an ephemeral loopback port. Loaded lazily so a
 * run against another target never imports it.
 *
 * Being in-process, it is the one target whose console the harness can type on (the console's answers
 * are the log lines written during the call) and whose §7 limits it can set for one scenario (a separate
 * instance started with them).
 */
import { randomBytes } from 'node:crypto';
import type { RunningServer, ServerOptions } from '../../reference-server/index.ts';
import { RestartableTarget } from './restartable.ts';
import { TailBuffer } from './tail-buffer.ts';
import { LIMIT_KEYS, TargetStartError, type ServerLimits, type TargetInstance } from './types.ts';

/** How the reference server is started; replaceable so a test can start one that ignores its limits. */
export type StartReferenceServer = (options: Partial<ServerOptions>) => Promise<RunningServer>;

const startReferenceServer: StartReferenceServer = async (options) => {
  const { startServer } = await import('../../reference-server/index.ts');
  return startServer(options);
};

/**
 * `consoleOutput: false`: its console lines are typed as usual, but their answer is not shown, as for a
 * server the harness spawned (whose output is its own): the forecast of what a run against such a
 * server cannot grade (harness/run/known-ungradable.ts) then meets the same reasons that run will.
 */
export function embeddedReferenceServer(start: StartReferenceServer = startReferenceServer, options: { consoleOutput?: boolean } = {}): RestartableTarget {
  const showConsoleOutput = options.consoleOutput ?? true;
  // A random operator password: @operator scenarios get it through worldParameters, nobody can guess it.
  const operPassword = randomBytes(9).toString('base64url');
  const log = new TailBuffer(50);

  const launchWith = async (limits: ServerLimits): Promise<TargetInstance> => {
    // Lines logged while a console line is being handled are its answer (consoleLine is synchronous).
    let captured: string[] | undefined;
    const options: Partial<ServerOptions> = {
      host: '127.0.0.1',
      port: 0,
      operPassword,
      log: (line: string) => {
        captured?.push(line);
        log.push(`${line}\n`);
      },
      ...pickLimits(limits),
    };
    let server: RunningServer;
    try {
      server = await start(options);
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
      console: async (line: string) => {
        const lines: string[] = [];
        captured = lines;
        try {
          server.consoleLine(line);
        } finally {
          captured = undefined;
        }
        return { output: showConsoleOutput ? lines : null };
      },
    };
  };

  return new RestartableTarget(
    () => launchWith({}),
    (a) => `reference server (embedded)${a ? ` on ${a.host}:${a.port}` : ''}`,
    operPassword,
    launchWith,
    // Its instances run side by side, each on a port of its own: restarts switch to one started in advance,
    // and with --parallel each @server-wide scenario gets one of its own beside the others, as with a
    // spawned server, instead of running alone at the end of the run (0.08 s of a 3 s run).
    true,
  );
}

/** Only the known limit keys, each a number: the request comes from a step over HTTP. */
function pickLimits(limits: ServerLimits): ServerLimits {
  const picked: ServerLimits = {};
  for (const key of LIMIT_KEYS) {
    const value = limits[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
