/**
 * The runner's loopback target-control endpoint. Cucumber runs scenarios in this process or in forked
 * workers; both reach the runner the same way, over HTTP on 127.0.0.1, from steps/support/hooks.ts:
 *
 *   POST /begin {uri, tags, wantsLatencies?} -> {target: {host, port}, mark, private?, latencies?}
 *                                                                      (a ready target, restarted when needed;
 *                                                                      with private, one of its own; with
 *                                                                      wantsLatencies, the reply latencies the
 *                                                                      runner learned)
 *   POST /end   {mark, failed, limited?, private?} -> {crashes: [text...]}  (deaths of the target since
 *                                                                      `mark`; stops the scenario's limited
 *                                                                      instances and its own target)
 *   POST /console {line, private?}   -> {output: [line...] | null}    (typed on the target's server console)
 *   POST /limited {limits}           -> {target: {host, port}, id}    (a separate instance with these §7
 *                                                                      limits, for one scenario; its id goes
 *                                                                      in that scenario's /end)
 *
 * Errors answer 503 {error} with a readable message, which the hook throws as the scenario's failure;
 * what the target cannot do (no reachable console, no way to set limits) answers 501 {error}, which the
 * step reports as "not gradable".
 *
 * The endpoint is on loopback, where the server under test (and anything it started) can connect too: a
 * hostile submission must not restart or /begin the grader's target. Every request carries the run's
 * secret (CONTROL_SECRET_HEADER), made here and handed only to the scenarios through worldParameters, which
 * a sandboxed target cannot read (its own PID namespace hides the harness's processes); a request without it
 * answers 403 and its connection is closed. A body larger than MAX_BODY_BYTES is never buffered: the
 * request is answered 413 and its connection destroyed as soon as the limit is passed.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crashPointer, disconnectCrash } from './crash-notes.ts';
import { LIMIT_KEYS, NotSupportedByTarget, type CrashReport, type Isolation, type LimitedInstance, type ServerLimits, type TargetController } from './types.ts';

export const PRISTINE_TAG = '@pristine';
/**
 * Scenarios that change the server's state beyond their own users and channels (a ban of the address
 * every test client comes from, anything typed on the server console): a server the runner owns is
 * restarted after each of them, whatever the isolation level; on a --target server they run last.
 */
export const SERVER_WIDE_TAG = '@server-wide';

export interface BeginRequest {
  uri: string;
  tags: string[];
  /** The scenario's name, for pointers to the crash reports it carries. */
  name?: string;
  /** Its process has not learned the server's reply latency yet (harness/wire/quiet-wait.ts): send the runner's. */
  wantsLatencies?: boolean;
}
export interface BeginResponse {
  target: { host: string; port: number };
  mark: number;
  /** With wantsLatencies: the recent reply latencies the runner's process measured (ControlOptions.learnedLatencies), ms. */
  latencies?: number[];
  /** The id of the target of its own this scenario got (privateServerWide): its /console and /end name it. */
  private?: string;
  /** Crashes between the previous scenario's end and this one's begin, as disconnect findings (crash-notes.ts). */
  earlierCrashes: string[];
}
export interface EndRequest {
  mark: number;
  failed: boolean;
  /** Ids of the limited instances this scenario started (POST /limited), to stop now. */
  limited?: string[];
  /** When the scenario's teardown (closing its connections) began, epoch ms; absent: now. */
  teardownAt?: number;
  /** The scenario's name (owner of the crash blocks it reports). */
  name?: string;
  /** The scenario carried SERVER_WIDE_TAG: the next scenario gets a fresh server. */
  serverWide?: boolean;
  /** The target of its own it got from /begin, if any: that is the one whose deaths are reported, then stopped. */
  private?: string;
}
export interface EndResponse {
  /** Crash blocks of deaths during this scenario's steps ("target crashed: ..."): the scenario fails for them. */
  crashes: string[];
  /** One line per death during its steps whose block another scenario already carries. */
  pointers: string[];
  /** Deaths its teardown caused, as disconnect findings: never a failure of this scenario. */
  disconnectCrashes: string[];
}
export interface ConsoleRequest {
  line: string;
  /** Typed on the scenario's own target (from /begin) instead of the shared one. */
  private?: string;
}
export interface ConsoleResponse {
  output: string[] | null;
}
export interface LimitedRequest {
  limits: ServerLimits;
}
export interface LimitedResponse {
  target: { host: string; port: number };
  id: string;
}

/** Prefix of the 501 answer to /console. */
export const CONSOLE_UNREACHABLE = "the target's console is not reachable";

/** The limits of a /limited request, checked: known keys, non-negative integers. */
export function parseLimits(body: unknown): ServerLimits {
  const limits = (body as Partial<LimitedRequest> | null)?.limits;
  if (typeof limits !== 'object' || limits === null) throw new Error('bad /limited request: no limits object');
  const parsed: ServerLimits = {};
  for (const [key, value] of Object.entries(limits)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) throw new Error(`bad /limited request: unknown limit ${key}`);
    if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`bad /limited request: ${key} must be a non-negative integer`);
    parsed[key as keyof ServerLimits] = value as number;
  }
  return parsed;
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

export const MAX_BODY_BYTES = 64 * 1024;
/** The request header that carries the run's secret. */
export const CONTROL_SECRET_HEADER = 'x-control-secret';

class BodyTooLarge extends Error {}

/** The body as JSON; rejects with BodyTooLarge as soon as more than MAX_BODY_BYTES arrived (nothing more is kept). */
function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        chunks.length = 0;
        return reject(new BodyTooLarge());
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(JSON.parse(text || '{}'));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', (error) => {
      done = true;
      reject(error);
    });
  });
}

/** Constant-time comparison of the presented secret with the run's. */
function hasSecret(req: http.IncomingMessage, secret: Buffer): boolean {
  const presented = req.headers[CONTROL_SECRET_HEADER];
  if (typeof presented !== 'string') return false;
  const given = Buffer.from(presented, 'utf8');
  return given.length === secret.length && timingSafeEqual(given, secret);
}

/**
 * The endpoints of this process, by URL: a scenario running in the runner's own process (a serial run,
 * or --parallel lanes, harness/run/lanes.ts) calls the handler directly instead of going through HTTP on
 * loopback, which cost a few ms per request, two requests per scenario. Same secret, same answers.
 */
const localEndpoints = new Map<string, { secret: string; handle: (path: string, body: unknown) => Promise<unknown> }>();

/** What a control request answered: a status as the HTTP endpoint would give it, and its JSON payload. */
export interface LocalControlAnswer {
  status: number;
  payload: unknown;
}

/**
 * The endpoint at `url` when it lives in this process (undefined otherwise: use HTTP). The body goes
 * through JSON as it would on the wire, so the handler never shares objects with the caller.
 */
export function localControl(url: string, secret: string): ((path: string, body: unknown) => Promise<LocalControlAnswer>) | undefined {
  const endpoint = localEndpoints.get(url);
  if (!endpoint || endpoint.secret !== secret) return undefined;
  return async (path, body) => {
    try {
      const payload = await endpoint.handle(path, JSON.parse(JSON.stringify(body ?? {})));
      return { status: 200, payload: JSON.parse(JSON.stringify(payload)) };
    } catch (error) {
      return { status: error instanceof NotSupportedByTarget ? 501 : 503, payload: { error: error instanceof Error ? error.message : String(error) } };
    }
  };
}

export interface ControlServer {
  url: string;
  /** The run's secret: every request must carry it in CONTROL_SECRET_HEADER. */
  secret: string;
  /** @server-wide scenarios get targets of their own (ControlOptions.privateServerWide, and the target has them). */
  privateServerWide: boolean;
  close(): Promise<void>;
}

/** Control servers giving @server-wide scenarios targets of their own, for serverWideRunsBeside. */
let privateServerWideRuns = 0;

/**
 * Whether @server-wide scenarios now run on targets of their own (a control server started with
 * privateServerWide on a target that has them): then they need not run alone (steps/support/hooks.ts,
 * setParallelCanAssign, which the runner's process evaluates, where this control server runs).
 */
export function serverWideRunsBeside(): boolean {
  return privateServerWideRuns > 0;
}

export interface ControlOptions {
  /**
   * Give each @server-wide scenario a target of its own (TargetController.privateTarget), when the target
   * has them: for --parallel, where they would otherwise run alone, each on a freshly restarted server.
   */
  privateServerWide?: boolean;
  /**
   * The reply latencies the runner's own process has learned from this run's server (empty while it has
   * not): handed to a worker process that asks (BeginRequest.wantsLatencies), so it does not learn again
   * from scratch.
   */
  learnedLatencies?: () => number[];
}

export async function startControlServer(target: TargetController, isolation: Isolation, options: ControlOptions = {}): Promise<ControlServer> {
  const privateServerWide = options.privateServerWide === true && target.privateTarget !== undefined;
  if (privateServerWide) privateServerWideRuns += 1;
  let closed = false;
  let previousUri: string | undefined;
  /** A @server-wide scenario ran on the current instance: the next scenario needs a fresh one. */
  let dirty = false;
  /** Crash seq -> the scenario that carries its block. */
  const owners = new Map<number, string>();
  const limited = new Map<string, LimitedInstance>();
  let nextLimitedId = 1;
  /** Targets of their own, by id, from /begin to /end. */
  const privates = new Map<string, TargetController>();
  let nextPrivateId = 1;

  function privateOf(id: unknown): TargetController | undefined {
    if (id === undefined) return undefined;
    const own = typeof id === 'string' ? privates.get(id) : undefined;
    if (own === undefined) throw new Error(`bad control request: no target of its own with id ${String(id)}`);
    return own;
  }

  /**
   * Deaths before the teardown began are the scenario's own (the first scenario to report one carries its
   * block; others point to it); deaths after are its teardown's, a disconnect finding, unless the
   * scenario already failed (then they are part of its failure). `blockOwners`: which scenario carries each
   * crash's block (the shared target's record, or a fresh one for a target of its own: nobody to point to).
   */
  function attribute(crashes: CrashReport[], request: EndRequest, blockOwners: Map<number, string>): EndResponse {
    const teardownAt = typeof request.teardownAt === 'number' ? request.teardownAt : Date.now();
    const name = typeof request.name === 'string' && request.name !== '' ? request.name : 'another scenario';
    const response: EndResponse = { crashes: [], pointers: [], disconnectCrashes: [] };
    for (const crash of crashes) {
      if (crash.at >= teardownAt && request.failed !== true) {
        response.disconnectCrashes.push(disconnectCrash(crash.text, 'teardown'));
        continue;
      }
      const owner = blockOwners.get(crash.seq);
      if (owner === undefined) {
        blockOwners.set(crash.seq, name);
        response.crashes.push(crash.text);
      } else {
        response.pointers.push(crashPointer(owner));
      }
    }
    return response;
  }

  /** What a /begin answers about the server's reply latency: the runner's samples, to a process that asks. */
  function latenciesFor(request: BeginRequest): { latencies?: number[] } {
    const latencies = request.wantsLatencies === true ? options.learnedLatencies?.() : undefined;
    return latencies !== undefined && latencies.length > 0 ? { latencies } : {};
  }

  async function handle(path: string, body: unknown): Promise<unknown> {
    if (path === '/begin') {
      const request = body as BeginRequest;
      if (typeof request.uri !== 'string' || !Array.isArray(request.tags)) throw new Error('bad /begin request');
      if (privateServerWide && request.tags.includes(SERVER_WIDE_TAG)) {
        // Its own target: the shared one, and whoever runs on it, never sees what this scenario changes.
        const own = target.privateTarget!();
        const id = String(nextPrivateId++);
        privates.set(id, own);
        try {
          return { target: await own.acquire(false), mark: own.crashCount(), private: id, earlierCrashes: [], ...latenciesFor(request) } satisfies BeginResponse;
        } catch (error) {
          privates.delete(id);
          await own.stop();
          throw error;
        }
      }
      const fresh = dirty || needsFreshTarget(isolation, previousUri, request);
      dirty = false;
      previousUri = request.uri;
      const earlier = target.unreportedCrashes();
      // Restarts made on purpose are never recorded as crashes, so every crash after `mark` is a death
      // of this scenario's target. acquire() restarts a dead server and waits until it listens again.
      const mark = target.crashCount();
      const address = await target.acquire(fresh);
      return { target: address, mark, earlierCrashes: earlier.map((c) => disconnectCrash(c.text, 'between')), ...latenciesFor(request) } satisfies BeginResponse;
    }
    if (path === '/end') {
      const request = body as EndRequest;
      if (typeof request.mark !== 'number') throw new Error('bad /end request');
      // The scenario is over: its own instances go first (their deaths are not the target's crashes).
      const ids = Array.isArray(request.limited) ? request.limited : [];
      await Promise.all(
        ids.map((id) => {
          const instance = limited.get(id);
          limited.delete(id);
          return instance?.stop();
        }),
      );
      const own = privateOf(request.private);
      if (own !== undefined) {
        privates.delete(request.private!);
        try {
          await own.settleAfterTeardown();
          // Nobody else ran on it: every death is this scenario's, none is another's to point to.
          return attribute(await own.crashesSince(request.mark, request.failed === true), request, new Map());
        } finally {
          // Not waited for: the scenario is over. The shared target keeps it until it has stopped, so the
          // run's end waits for it and a last-resort kill still reaches it.
          void own.stop();
        }
      }
      if (request.serverWide === true) dirty = true;
      // Its connections are closed: a server that dies of that is seen dying now, not by the next scenario.
      await target.settleAfterTeardown();
      const crashes = await target.crashesSince(request.mark, request.failed === true);
      return attribute(crashes, request, owners);
    }
    if (path === '/console') {
      const request = body as Partial<ConsoleRequest> | null;
      if (typeof request?.line !== 'string') throw new Error('bad /console request');
      const on = privateOf(request.private) ?? target;
      if (!on.console) throw new NotSupportedByTarget(`${CONSOLE_UNREACHABLE}: ${on.describe()} gives the harness no console`);
      try {
        return { output: (await on.console(request.line)).output } satisfies ConsoleResponse;
      } catch (error) {
        if (error instanceof NotSupportedByTarget) throw new NotSupportedByTarget(`${CONSOLE_UNREACHABLE}: ${error.message}`);
        throw error;
      }
    }
    if (path === '/limited') {
      const limits = parseLimits(body);
      if (!target.startLimited) throw new NotSupportedByTarget('the harness can only set limits on the embedded reference server');
      const instance = await target.startLimited(limits);
      const id = String(nextLimitedId++);
      limited.set(id, instance);
      return { target: instance.address, id } satisfies LimitedResponse;
    }
    throw new Error(`unknown control path ${path}`);
  }

  const secret = randomBytes(32).toString('hex');
  const secretBytes = Buffer.from(secret, 'utf8');
  const server = http.createServer((req, res) => {
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    /** Answer, then close the connection whatever the client still sends (it is not read). */
    const refuse = (status: number, error: string): void => {
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error }), () => req.socket.destroy());
      req.pause();
    };
    if (!hasSecret(req, secretBytes)) return refuse(403, 'this endpoint belongs to the conformance runner');
    if (req.method !== 'POST') return reply(405, { error: 'POST only' });
    readJson(req)
      .then((body) => handle(req.url ?? '/', body))
      .then(
        (payload) => reply(200, payload),
        (error: unknown) => {
          if (error instanceof BodyTooLarge) return refuse(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
          reply(error instanceof NotSupportedByTarget ? 501 : 503, { error: error instanceof Error ? error.message : String(error) });
        },
      );
  });
  // A client that connects and never finishes its request must not hold the endpoint's resources forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Idle keep-alive connections are closed by the client (fetch drops them after 4 s) before the server
  // would (5 s by default): otherwise, on a loaded machine, a request can go out on a connection the server
  // is closing at that moment, and fails with "fetch failed".
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  localEndpoints.set(url, { secret, handle });
  return {
    url,
    secret,
    privateServerWide,
    close: async () => {
      localEndpoints.delete(url);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (privateServerWide && !closed) privateServerWideRuns -= 1;
      closed = true;
      // Instances of scenarios that never reached /end (a worker died): nobody else will stop them.
      const left = [...limited.values(), ...privates.values()];
      limited.clear();
      privates.clear();
      await Promise.all(left.map((instance) => instance.stop()));
    },
  };
}
