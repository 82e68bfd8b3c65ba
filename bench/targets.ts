/**
 * The servers `bench:compare` measures side by side, and how to start each on a port of our choosing.
 *
 * Every target runs as a child of the bench on 127.0.0.1 and an ephemeral port, never as a system
 * service. Targets whose program is missing (ngircd and InspIRCd on a fresh CI machine, a C compiler)
 * are reported "not installed" instead of failing the comparison.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ircDialect, type BenchDialect } from './dialect.ts';
import { SERVER_NODE_FLAGS } from '../reference-server/net/jit-policy.ts';
import { canonicalDialect } from './profile.ts';

export interface CompareTarget {
  /** Short key used on the command line (--targets) and in the JSON. */
  key: string;
  /** Column label in reports/bench.md. */
  label: string;
  dialect: BenchDialect;
  /** Why it cannot run here, or undefined when it can. Called once, before any run. */
  unavailable(): string | undefined;
  /** Shell command that serves on `port`; may write config files under `workDir`. */
  command(port: number, workDir: string): string;
  /**
   * Clients the generator sets up at once (default 64). Setup is not measured, but it must stay
   * bounded: ngircd listens with a backlog of 10 (more pending connects overflow it and wait for a
   * 1 s SYN retry), and InspIRCd completes each registration on its 1 s background tick.
   */
  connectConcurrency?: number;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const BUILD_DIR = path.join(REPO_ROOT, 'bench', 'build');

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const candidate = path.join(dir, program);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** This Node with tsx, and `flags` before the script. */
const nodeWith = (flags: readonly string[]): string => [`"${process.execPath}"`, ...flags, '--import tsx'].join(' ');
const node = nodeWith([]);

export const referenceTarget: CompareTarget = {
  key: 'reference',
  label: 'reference',
  dialect: canonicalDialect(),
  unavailable: () => (existsSync(path.join(REPO_ROOT, 'reference-server/net/cli.ts')) ? undefined : 'reference-server/net/cli.ts not found'),
  // As `npm run server` starts it (its V8 flags); 20000 connections: the idle test needs 10,000
  // registered clients plus the readiness probe.
  command: (port) => `${nodeWith(SERVER_NODE_FLAGS)} reference-server/net/cli.ts --port ${port} --max-connections 20000`,
};

export const pythonTarget: CompareTarget = {
  key: 'python',
  label: 'python threads',
  dialect: canonicalDialect(),
  unavailable: () => (onPath('python3') ? undefined : 'python3 not installed'),
  command: (port) => `python3 bench/baselines/threaded_server.py --port ${port}`,
};

export const nodeRelayTarget: CompareTarget = {
  key: 'node-relay',
  label: 'naive node',
  dialect: canonicalDialect(),
  unavailable: () => undefined,
  command: (port) => `${node} bench/baselines/naive-relay.ts --port ${port}`,
};

let cBuildError: string | undefined;
let cBuilt = false;
/** Compiles the C relay once per process into bench/build/ (git-ignored). */
function buildEpollRelay(): string | undefined {
  if (cBuilt) return undefined;
  if (cBuildError !== undefined) return cBuildError;
  const compiler = onPath('cc') ?? onPath('gcc');
  if (compiler === undefined) return (cBuildError = 'no C compiler (cc/gcc)');
  mkdirSync(BUILD_DIR, { recursive: true });
  try {
    execFileSync(compiler, ['-O2', '-o', path.join(BUILD_DIR, 'epoll_relay'), path.join(REPO_ROOT, 'bench/baselines/epoll_relay.c')], { stdio: 'pipe' });
    cBuilt = true;
    return undefined;
  } catch (error) {
    return (cBuildError = `C build failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}`);
  }
}

export const epollTarget: CompareTarget = {
  key: 'c-epoll',
  label: 'C epoll',
  dialect: canonicalDialect(),
  unavailable: buildEpollRelay,
  command: (port) => `"${path.join(BUILD_DIR, 'epoll_relay')}" --port ${port}`,
};

/**
 * ngircd: penalties off (MaxPenaltyTime = 0, the config's only flood control), no per-IP or total
 * connection cap, no DNS/ident lookups, long ping timers so no PING arrives mid-run.
 */
export const ngircdTarget: CompareTarget = {
  key: 'ngircd',
  label: 'ngircd',
  dialect: ircDialect,
  connectConcurrency: 8,
  unavailable: () => (onPath('ngircd') ? undefined : 'not installed'),
  command: (port, workDir) => {
    const dir = path.join(workDir, `ngircd-${port}`);
    mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'ngircd.conf');
    writeFileSync(
      conf,
      `[Global]
  Name = bench.local
  Info = chat-conformance benchmark
  Listen = 127.0.0.1
  Ports = ${port}
  MotdPhrase = bench
  PidFile = ${path.join(dir, 'ngircd.pid')}
[Limits]
  MaxConnections = 0
  MaxConnectionsIP = 0
  MaxJoins = 0
  MaxNickLength = 16
  MaxPenaltyTime = 0
  PingTimeout = 600
  PongTimeout = 600
[Options]
  DNS = no
  Ident = no
  PAM = no
`,
    );
    return `"${onPath('ngircd')}" --nodaemon --config "${conf}"`;
  },
};

/**
 * InspIRCd 3: fake lag off, command rate and flood threshold as high as the config takes, send and
 * receive queues far beyond the workloads, no host lookups, no connection caps.
 */
export const inspircdTarget: CompareTarget = {
  key: 'inspircd',
  label: 'InspIRCd',
  dialect: ircDialect,
  connectConcurrency: 1000,
  unavailable: () => (onPath('inspircd') ? undefined : 'not installed'),
  command: (port, workDir) => {
    const dir = path.join(workDir, `inspircd-${port}`);
    mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'inspircd.conf');
    writeFileSync(path.join(dir, 'motd.txt'), 'bench\n');
    writeFileSync(
      conf,
      `<server name="bench.local" description="chat-conformance benchmark" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="${port}" type="clients">
<connect allow="*" timeout="120" threshold="1000000000" commandrate="1000000000" fakelag="no"
         pingfreq="600" hardsendq="1073741824" softsendq="1073741824" recvq="1073741824"
         localmax="1000000" globalmax="1000000" maxconnwarn="no" limit="1000000"
         resolvehostnames="no" useident="no">
<performance softlimit="30000" somaxconn="1024" clonesonconnect="no" timeskipwarn="0">
<files motd="${path.join(dir, 'motd.txt')}">
<channels users="100" opers="100">
<limits maxnick="16" maxchan="64">
<pid file="${path.join(dir, 'inspircd.pid')}">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="sparse" target="${path.join(dir, 'inspircd.log')}">
<options syntaxhints="no" announcets="no">
<security hideserver="" userstats="Pu" maxtargets="20">
<dns timeout="1">
`,
    );
    return `"${onPath('inspircd')}" --nofork --runasroot --nopid --config="${conf}"`;
  },
};

export const ALL_TARGETS: readonly CompareTarget[] = [referenceTarget, ngircdTarget, inspircdTarget, pythonTarget, nodeRelayTarget, epollTarget];
