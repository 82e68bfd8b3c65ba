/** Target control entry point: which server the run talks to, and how the runner controls it. */
import { embeddedReferenceServer } from './embedded.ts';
import { externalServer } from './external.ts';
import { spawnedServer } from './spawned.ts';
import type { TargetAddress, TargetController } from './types.ts';
import type { SandboxSpec } from './sandbox.ts';

export type { Isolation, TargetAddress, TargetController, CrashReport } from './types.ts';
export { TargetStartError } from './types.ts';
export { startControlServer, needsFreshTarget, PRISTINE_TAG } from './control-server.ts';

export type TargetChoice =
  /** No target given: the bundled reference server, in this process. */
  | { kind: 'embedded' }
  /** `--target host:port`: already running, not ours. */
  | { kind: 'external'; address: TargetAddress; operPassword: string | undefined }
  /** `--server "<command with {port}>"`: spawned, watched and restarted by the runner. */
  | {
      kind: 'spawned';
      command: string;
      startTimeoutMs: number;
      operPassword: string | undefined;
      /** Fixed port the server hard-codes (profile server.port). */
      port?: number;
      /** Readiness detection method (profile server.readiness). */
      readiness?: 'connect' | 'listening';
      /** Run the server in this sandbox (grading sets it; harness/target/sandbox.ts). */
      sandbox?: SandboxSpec;
    };

export function createTarget(choice: TargetChoice): TargetController {
  switch (choice.kind) {
    case 'embedded':
      return embeddedReferenceServer();
    case 'external':
      return externalServer(choice.address, choice.operPassword);
    case 'spawned':
      return spawnedServer({
        command: choice.command,
        startTimeoutMs: choice.startTimeoutMs,
        operPassword: choice.operPassword,
        ...(choice.port !== undefined ? { port: choice.port } : {}),
        ...(choice.readiness !== undefined ? { readiness: choice.readiness } : {}),
        ...(choice.sandbox !== undefined ? { sandbox: choice.sandbox } : {}),
      });
  }
}
