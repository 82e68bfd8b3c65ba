/**
 * Non-interactive mode (`--script FILE`, or stdin that is not a terminal).
 *
 * Lines are executed in order, each after the previous one's final reply (so a script never races
 * itself); events are printed as they arrive. Without --nick the first non-empty line is the nick.
 * When the script ends: a /PING barrier (§2.1) so that events already caused by others are shown,
 * then /BYE. Exit codes: see exit-codes.ts.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { BYE_GRACE_MS, ChatClient, type ChatClientListener } from './chat-client.ts';
import { execute, type Output } from './execute.ts';
import { ExitCode } from './exit-codes.ts';
import { ConnectError } from './line-connection.ts';
import type { ClientOptions } from './options.ts';
import type { Dialect } from './protocol.ts';
import { makeStyle, renderError, renderEvent, renderGreeting, renderOutcome, sanitize } from './render.ts';
import { reconnect, ReconnectError } from './reconnect.ts';
import { parseTyped } from './typed-commands.ts';

export interface ScriptIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}


export async function runScript(options: ClientOptions, dialect: Dialect, io: ScriptIo): Promise<ExitCode> {
  // Scripts write plain text: no colour, whatever the terminal.
  const style = makeStyle(false);
  const output: Output = { show: (text) => io.stdout.write(`${text}\n`) };
  let lost: string | undefined;

  /** While /RECONNECT runs, the old connection's close is expected and the new one's failure is its to report. */
  let reconnecting = false;
  const listener: ChatClientListener = {
    onGreeting: (fields) => output.show(renderGreeting(fields, style)),
    onEvent: (event, fields) => output.show(renderEvent(event, fields, { me: client?.nick }, style)),
    onUnexpected: (raw, classified) =>
      output.show(classified.kind === 'reply' && !classified.ok ? renderError(classified.code ?? '?', classified.fields.reason ?? '', style) : sanitize(raw)),
    onClose: (expected, error) => {
      if (!expected && !reconnecting) lost = error ? `connection to ${options.host}:${options.port} broken: ${error.message}` : `the server closed the connection`;
    },
  };
  let client: ChatClient;
  try {
    client = await ChatClient.connect({ host: options.host, port: options.port, connectTimeoutMs: options.connectTimeoutMs }, dialect, listener);
  } catch (error) {
    if (error instanceof ConnectError) {
      io.stderr.write(`chat client: ${error.message}\n`);
      return ExitCode.UNREACHABLE;
    }
    throw error;
  }

  const source = options.script === undefined || options.script === '-' ? io.stdin : createReadStream(options.script);
  const reader = readline.createInterface({ input: source, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  // Ctrl-C ends the script early but cleanly: the same barrier and /BYE as at its end.
  const interrupt = () => reader.close();
  process.once('SIGINT', interrupt);
  let closed = client.closed.then(() => 'closed' as const);
  let ctx = { client, style, output, cwd: io.cwd };
  // The greeting is shown before the first script line, as a user at a terminal would see it: a script
  // written before the connection opened must not race the server's HELLO (bounded: a silent server).
  if (dialect.greets) await Promise.race([client.greeted, sleep(options.connectTimeoutMs, undefined, { ref: false })]);

  /** The next script line, or undefined at its end or when the connection ended meanwhile. */
  const nextLine = async (): Promise<string | undefined> => {
    const next = await Promise.race([lines.next(), closed]);
    return next === 'closed' || next.done === true ? undefined : next.value;
  };
  const finish = (): ExitCode => {
    process.off('SIGINT', interrupt);
    source.destroy();
    if (lost === undefined) return ExitCode.OK;
    io.stderr.write(`chat client: ${client.killed ? 'disconnected by the server (killed)' : lost}\n`);
    return ExitCode.CONNECTION_LOST;
  };

  try {
    let nick = options.nick;
    while (nick === undefined) {
      const line = await nextLine();
      if (line === undefined) break;
      if (line.trim() !== '') nick = line.trim();
    }
    if (nick !== undefined && client.isOpen) {
      output.show(`> ${nick}`);
      const outcome = await client.request({ name: 'register', args: { nick } });
      for (const shown of renderOutcome(outcome, { me: client.nick }, style)) output.show(shown);
      if (!outcome.reply.ok) {
        io.stderr.write(`chat client: the server refused the nick "${nick}"\n`);
        await client.close(BYE_GRACE_MS);
        finish();
        return ExitCode.REGISTRATION_REFUSED;
      }
    }

    for (let line = await nextLine(); line !== undefined && client.isOpen; line = await nextLine()) {
      const typed = parseTyped(line);
      if (typed.kind === 'empty') continue;
      output.show(`> ${line.trim()}`);
      if (typed.kind !== 'reconnect') {
        await execute(typed, ctx);
        continue;
      }
      reconnecting = true;
      try {
        const result = await reconnect(client, options, dialect, listener);
        client = result.client;
        closed = client.closed.then(() => 'closed' as const);
        ctx = { ...ctx, client };
        output.show(result.summary);
        if (result.warning !== undefined) output.show(renderError('RECONNECT', result.warning, style));
      } catch (error) {
        if (!(error instanceof ReconnectError)) throw error;
        io.stderr.write(`chat client: cannot reconnect: ${error.message}\n`);
        finish();
        return error.reason === 'refused' ? ExitCode.REGISTRATION_REFUSED : ExitCode.UNREACHABLE;
      } finally {
        reconnecting = false;
      }
      if (!client.isOpen) lost = 'the server closed the connection';
    }

    if (client.isOpen) {
      // The barrier: everything others caused before our PING arrives before its PONG.
      if (client.dialect.render({ name: 'ping', args: {} }) !== undefined) await client.request({ name: 'ping', args: {} });
      client.expectClose();
      await client.request({ name: 'bye', args: {} });
    }
  } catch (error) {
    // A request cut short by the connection closing: the close is the story (finish() tells it).
    if (client.isOpen) throw error;
  }
  await client.close(BYE_GRACE_MS);
  return finish();
}
