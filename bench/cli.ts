/**
 * `npm run bench -- (--target host:port | --server "<cmd {port}>") [--profile P] --clients N --senders S
 *   --messages M [--window W] [--warmup N] [--json]`
 *
 * One load run against one server; prints a readable report (or JSON with --json). Exit code 0 when
 * every delivery arrived, 1 when some were lost, 2 on a usage or setup error.
 */
import { parseArgs } from 'node:util';
import { resolveDialect } from './profile.ts';
import { formatReport, integerOption, parseTarget, runOnServer, runSpawned, type BenchReport, type LoadParameters } from './run.ts';

const USAGE = `usage: npm run bench -- (--target host:port | --server "<command with {port}>")
       [--profile canonical|irc|<harness profile>] --clients N --senders S --messages M
       [--window W (default 64)] [--warmup N (messages per sender before measuring; default: bench/load.ts defaultWarmup)]
       [--workers K (default 1)] [--timeout SECONDS (default 120)] [--json]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      server: { type: 'string' },
      profile: { type: 'string', default: 'canonical' },
      clients: { type: 'string', default: '50' },
      senders: { type: 'string', default: '1' },
      messages: { type: 'string', default: '2000' },
      window: { type: 'string', default: '64' },
      warmup: { type: 'string' },
      timeout: { type: 'string', default: '120' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((values.target === undefined) === (values.server === undefined)) {
    console.error(`exactly one of --target and --server is required\n${USAGE}`);
    return 2;
  }
  const timeoutMs = integerOption('timeout', values.timeout) * 1000;
  const load: LoadParameters = {
    dialect: await resolveDialect(values.profile),
    clients: integerOption('clients', values.clients),
    senders: integerOption('senders', values.senders),
    messages: integerOption('messages', values.messages),
    window: integerOption('window', values.window),
    warmup: values.warmup === undefined ? undefined : integerOption('warmup', values.warmup, 0),
    runTimeoutMs: timeoutMs,
    workers: values.workers === undefined ? undefined : integerOption('workers', values.workers),
    setupTimeoutMs: timeoutMs,
    // Unique per run, so a long-lived --target server never sees a nick twice.
    nickPrefix: randomPrefix(),
  };
  let report: BenchReport;
  if (values.server !== undefined) {
    report = await runSpawned(values.server, { command: values.server }, load);
  } else {
    const { host, port } = parseTarget(values.target!);
    report = await runOnServer(values.target!, host, port, { ...load, channel: `#bench${load.nickPrefix}` });
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.lost === 0 && report.errors.length === 0 ? 0 : 1;
}

function randomPrefix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: 3 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
