/**
 * Carries out one typed line, the same way in the interactive and the non-interactive mode:
 * send it (or run a file transfer), then show its outcome. Resolves once the final reply is shown.
 */
import os from 'node:os';
import path from 'node:path';
import { CannotExpressError, ConnectionClosedError, type ChatClient } from './chat-client.ts';
import { receiveFile, sendFile, type Progress } from './file-transfer.ts';
import { renderError, renderOutcome, type Style } from './render.ts';
import { helpLines, type Typed } from './typed-commands.ts';

/** What execute() carries out: everything but /RECONNECT, which replaces the connection and so belongs to the mode. */
export type Executable = Exclude<Typed, { kind: 'reconnect' }>;

export interface Output {
  /** One line of the conversation. */
  show(text: string): void;
  /** A transient status (transfer progress), or undefined to clear it. Optional: scripts have none. */
  status?(text: string | undefined): void;
}

export interface ExecuteContext {
  client: ChatClient;
  style: Style;
  output: Output;
  /** The user's directory: relative /SEND and /RECV paths are resolved against it. */
  cwd: string;
}

/** A path as typed: relative to the user's directory, `~/` for the home directory (as a shell would). */
export function localPath(typed: string, cwd: string): string {
  const expanded = typed === '~' || typed.startsWith('~/') ? path.join(os.homedir(), typed.slice(1)) : typed;
  return path.resolve(cwd, expanded);
}

/** Files from this size on get a progress indicator. */
const PROGRESS_FROM_BYTES = 64 * 1024;

function progressFor(ctx: ExecuteContext, verb: string, name: string): Progress {
  let shown = -1;
  return (done, total) => {
    if (!(total >= PROGRESS_FROM_BYTES) || ctx.output.status === undefined) return;
    const percent = Math.floor((done / total) * 100);
    if (percent === shown) return;
    shown = percent;
    ctx.output.status(`${verb} ${name} ${percent}%`);
  };
}

async function run(typed: Executable, ctx: ExecuteContext): Promise<void> {
  const { client, style, output } = ctx;
  const me = () => ({ me: client.nick });
  switch (typed.kind) {
    case 'empty':
      return;
    case 'command': {
      if (typed.command.name === 'bye') client.expectClose();
      const outcome = await client.request(typed.command);
      for (const line of renderOutcome(outcome, me(), style)) output.show(line);
      return;
    }
    case 'help':
      for (const line of helpLines()) output.show(line);
      return;
    case 'raw': {
      if (typed.usage !== undefined && client.dialect.renderRaw(typed.line) === undefined) {
        output.show(renderError('SYNTAX', `usage: ${typed.usage}`, style));
        return;
      }
      const outcome = await client.requestRaw(typed.line);
      for (const line of renderOutcome(outcome, me(), style)) output.show(line);
      return;
    }
    case 'send-file': {
      if (client.uploading) {
        output.show(renderError('BUSY', 'an upload is still running; wait for it to finish', style));
        return;
      }
      client.uploading = true;
      try {
        const result = await sendFile(client, typed.nick, localPath(typed.path, ctx.cwd), progressFor(ctx, 'sending', typed.path));
        output.status?.(undefined);
        output.show(result.ok ? style('green', result.message) : renderError('SEND', result.message, style));
      } finally {
        client.uploading = false;
      }
      return;
    }
    case 'recv-file': {
      const result = await receiveFile(client, typed.name, typed.path === undefined ? undefined : localPath(typed.path, ctx.cwd), {
        force: typed.force,
        cwd: ctx.cwd,
        progress: progressFor(ctx, 'receiving', typed.name),
      });
      output.status?.(undefined);
      output.show(result.ok ? style('green', result.message) : renderError('RECV', result.message, style));
      return;
    }
  }
}

export async function execute(typed: Executable, ctx: ExecuteContext): Promise<void> {
  try {
    await run(typed, ctx);
  } catch (error) {
    if (error instanceof ConnectionClosedError) return; // the close itself is reported once, by the mode
    if (error instanceof CannotExpressError) {
      ctx.output.show(renderError('UNSUPPORTED', error.message, ctx.style));
      return;
    }
    throw error;
  }
}
