/**
 * The runner's loopback target-control endpoint. Cucumber runs scenarios in this process or in forked
 * workers; both reach the runner the same way, over HTTP on 127.0.0.1, from steps/support/target-hooks.ts:
 *
 *   POST /begin {uri, tags}          -> {target: {host, port}, mark}  (a ready target; restarted when needed)
 *   POST /end   {mark, failed}       -> {crashes: [text...]}          (deaths of the target since `mark`)
 *
 * Errors answer 503 {error} with a readable message, which the hook throws as the scenario's failure.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Isolation, TargetController } from './types.ts';

export const PRISTINE_TAG = '@pristine';

export interface BeginRequest {
  uri: string;
  tags: string[];
}
export interface BeginResponse {
  target: { host: string; port: number };
  mark: number;
  /** Crashes between the previous scenario's end and this one's begin, each starting "target crashed: ". */
  earlierCrashes: string[];
}
export interface EndRequest {
  mark: number;
  failed: boolean;
}
export interface EndResponse {
  crashes: string[];
}

/**
 * Whether the next scenario needs a freshly started target: @pristine scenarios always (nobody else may
 * have touched it), otherwise as the isolation level says.
 */
export function needsFreshTarget(isolation: Isolation, previousUri: string | undefined, scenario: BeginRequest): boolean {
  if (scenario.tags.includes(PRISTINE_TAG)) return true;
  if (isolation === 'scenario') return true;
  if (isolation === 'feature') return previousUri !== undefined && previousUri !== scenario.uri;
  return false;
}

const MAX_BODY = 64 * 1024;

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) reject(new Error('request too large'));
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(body || '{}'));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export async function startControlServer(target: TargetController, isolation: Isolation): Promise<ControlServer> {
  let previousUri: string | undefined;

  async function handle(path: string, body: unknown): Promise<unknown> {
    if (path === '/begin') {
      const request = body as BeginRequest;
      if (typeof request.uri !== 'string' || !Array.isArray(request.tags)) throw new Error('bad /begin request');
      const fresh = needsFreshTarget(isolation, previousUri, request);
      previousUri = request.uri;
      const earlier = target.unreportedCrashes();
      // Restarts made on purpose are never recorded as crashes, so every crash after `mark` is a death
      // of this scenario's target.
      const mark = target.crashCount();
      const address = await target.acquire(fresh);
      return { target: address, mark, earlierCrashes: earlier.map((c) => c.text) } satisfies BeginResponse;
    }
    if (path === '/end') {
      const request = body as EndRequest;
      if (typeof request.mark !== 'number') throw new Error('bad /end request');
      const crashes = await target.crashesSince(request.mark, request.failed === true);
      return { crashes: crashes.map((c) => c.text) } satisfies EndResponse;
    }
    throw new Error(`unknown control path ${path}`);
  }

  const server = http.createServer((req, res) => {
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST') return reply(405, { error: 'POST only' });
    readJson(req)
      .then((body) => handle(req.url ?? '/', body))
      .then(
        (payload) => reply(200, payload),
        (error: unknown) => reply(503, { error: error instanceof Error ? error.message : String(error) }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
