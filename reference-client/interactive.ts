/**
 * Interactive mode: a node:readline prompt that shows `nick #channel> `, with server events printed
 * above the line being typed (the prompt and the half-typed line are redrawn, never broken).
 *
 * Registration (§5.1) uses the same prompt ("nick: ") and asks again when the server refuses.
 * Quits cleanly (with /BYE) on /BYE, Ctrl-D and Ctrl-C. When the server goes away the client stays and
 * offers /RECONNECT (same nick, current channel joined again); quitting then exits with CONNECTION_LOST.
 */
import readline from 'node:readline';
import { BYE_GRACE_MS, ChatClient, type ChatClientListener } from './chat-client.ts';
import { complete } from './completion.ts';
import { execute, type Output } from './execute.ts';
import { ExitCode } from './exit-codes.ts';
import { ConnectError } from './line-connection.ts';
import type { ClientOptions } from './options.ts';
import type { Dialect } from './protocol.ts';
import { colourEnabled, makeStyle, renderError, renderEvent, renderGreeting, renderOutcome, sanitize } from './render.ts';
import { reconnect, ReconnectError } from './reconnect.ts';
import { parseTyped, type Typed } from './typed-commands.ts';

export interface InteractiveIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}


export async function runInteractive(options: ClientOptions, dialect: Dialect, io: InteractiveIo): Promise<ExitCode> {
  const style = makeStyle(colourEnabled(io.stdout, io.env));
  const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
  let rl: readline.Interface | undefined;
  let status: string | undefined;
  let client: ChatClient | undefined;
  /** Set when the server went away: the client stays, offering /RECONNECT; quitting then exits with CONNECTION_LOST. */
  let lost = false;
  /** While /RECONNECT runs: the old connection's close and the new one's failures are its to report. */
  let reconnecting = false;

  const promptText = (): string => {
    const where = client?.nick === undefined ? 'nick: ' : `${client.nick} ${client.currentChannel ?? '(lobby)'}> `;
    const state = lost ? '(disconnected) ' : '';
    return (status === undefined ? '' : style('dim', `[${status}] `)) + style('dim', state) + (lost && client?.nick === undefined ? '> ' : where);
  };

  /** Prints above the prompt: erase the prompt (all its rows), print, draw the prompt and typed text again. */
  const print = (text: string): void => {
    if (rl === undefined || !terminal) {
      io.stdout.write(`${text}\n`);
      return;
    }
    readline.moveCursor(io.stdout, 0, -rl.getCursorPos().rows);
    readline.cursorTo(io.stdout, 0);
    readline.clearScreenDown(io.stdout);
    io.stdout.write(`${text}\n`);
    // readline remembers how many rows its last drawing used and climbs them before redrawing;
    // we already erased that drawing, so the new one starts on this fresh row.
    (rl as unknown as { prevRows?: number }).prevRows = 0;
    rl.setPrompt(promptText());
    rl.prompt(true);
  };

  const refreshPrompt = (): void => {
    // Without a terminal to draw on (stdout redirected), prompts would only litter the output.
    if (rl === undefined || !terminal) return;
    rl.setPrompt(promptText());
    rl.prompt(true);
  };

  const output: Output = {
    show: print,
    status: (text) => {
      status = text;
      refreshPrompt();
    },
  };

  let settle!: (code: ExitCode) => void;
  const finished = new Promise<ExitCode>((resolve) => (settle = resolve));

  /** The server went away without our /BYE: say why and offer to reconnect, keeping the prompt. */
  const connectionLost = (why: string): void => {
    lost = true;
    const as = client?.nick === undefined ? '' : ` as ${sanitize(client.nick)}`;
    const back = client?.currentChannel === undefined ? '' : `, back in ${sanitize(client.currentChannel)}`;
    print(renderError('DISCONNECTED', why, style));
    print(style('yellow', `type /RECONNECT to connect again${as}${back}; /BYE or Ctrl-D to quit`));
  };

  const listener: ChatClientListener = {
    onGreeting: (fields) => print(renderGreeting(fields, style)),
    onEvent: (event, fields) => {
      print(renderEvent(event, fields, { me: client?.nick }, style));
      refreshPrompt(); // a rename or a kick may change the current channel
    },
    onUnexpected: (raw, classified) =>
      print(classified.kind === 'reply' && !classified.ok ? renderError(classified.code ?? '?', classified.fields.reason ?? '', style) : sanitize(raw)),
    onClose: (expected, error) => {
      if (reconnecting) return;
      if (expected) return settle(ExitCode.OK);
      connectionLost(client?.killed ? 'disconnected by the server (killed)' : error ? `connection broken: ${error.message}` : 'the server closed the connection');
    },
  };

  try {
    client = await ChatClient.connect({ host: options.host, port: options.port, connectTimeoutMs: options.connectTimeoutMs }, dialect, listener);
  } catch (error) {
    if (error instanceof ConnectError) {
      io.stderr.write(`chat client: ${error.message}\n`);
      return ExitCode.UNREACHABLE;
    }
    throw error;
  }
  let chat = client;

  rl = readline.createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal,
    prompt: promptText(),
    historySize: 200,
    completer: (line: string) => complete(line, chat.knownNicks),
  });

  let quitting = false;
  const quit = async (): Promise<void> => {
    if (quitting) return;
    quitting = true;
    chat.expectClose();
    if (chat.isOpen) {
      // Say goodbye (the server answers OK BYE and closes); close() forces it after the grace period.
      chat
        .request({ name: 'bye', args: {} })
        .then((outcome) => renderOutcome(outcome, { me: chat.nick }, style).forEach(print))
        .catch(() => {});
    }
    await chat.close(BYE_GRACE_MS);
    settle(lost ? ExitCode.CONNECTION_LOST : ExitCode.OK);
  };
  const fail = (error: unknown): void => {
    print(renderError('INTERNAL', error instanceof Error ? (error.stack ?? error.message) : String(error), style));
    settle(ExitCode.INTERNAL);
  };

  /** /RECONNECT: a new connection in place of the old one (closed first if still open). */
  const reconnectNow = async (): Promise<void> => {
    reconnecting = true;
    print(style('dim', `reconnecting to ${options.host}:${options.port}...`));
    try {
      const result = await reconnect(chat, options, dialect, listener);
      chat = client = result.client;
      lost = false;
      print(style('green', result.summary));
      if (result.warning !== undefined) print(renderError('RECONNECT', result.warning, style));
    } catch (error) {
      if (!(error instanceof ReconnectError)) throw error;
      lost = true;
      print(renderError('RECONNECT', `${error.message}; /RECONNECT to try again, /BYE to quit`, style));
    } finally {
      reconnecting = false;
    }
    // The new connection may already have ended while we were putting the user back.
    if (!lost && !chat.isOpen) connectionLost('the server closed the connection');
    refreshPrompt();
  };

  let registering = false;
  const register = async (nick: string): Promise<void> => {
    registering = true;
    try {
      const outcome = await chat.request({ name: 'register', args: { nick } });
      for (const line of renderOutcome(outcome, { me: chat.nick }, style)) print(line);
    } finally {
      registering = false;
      refreshPrompt();
    }
  };

  /** A line typed with no connection: only /RECONNECT and quitting make sense. */
  const whileDisconnected = (typed: Typed): void => {
    if (typed.kind === 'reconnect') return void reconnectNow().catch(fail);
    if (typed.kind === 'help') return void execute(typed, { client: chat, style, output, cwd: io.cwd }).then(refreshPrompt, fail);
    if (typed.kind === 'command' && typed.command.name === 'bye') return void quit().catch(fail);
    if (typed.kind === 'empty') return refreshPrompt();
    print(renderError('DISCONNECTED', 'not connected: /RECONNECT to connect again, /BYE to quit', style));
  };

  rl.on('line', (line) => {
    if (quitting) return;
    if (reconnecting || registering) return print(style('dim', 'waiting for the server to answer...'));
    const typed = parseTyped(line);
    if (!chat.isOpen) return whileDisconnected(typed);
    if (typed.kind === 'reconnect') return void reconnectNow().catch(fail);
    if (chat.nick === undefined) {
      // Registration: each line is a nick attempt until the server welcomes one (§5.1).
      if (line.trim() === '') return refreshPrompt();
      register(line.trim()).catch(fail);
      return;
    }
    const bye = typed.kind === 'command' && typed.command.name === 'bye';
    if (bye) quitting = true;
    execute(typed, { client: chat, style, output, cwd: io.cwd })
      // After OK BYE the server closes; close ourselves if it does not.
      .then(() => (bye ? chat.close(BYE_GRACE_MS).then(() => settle(ExitCode.OK)) : refreshPrompt()))
      .catch(fail);
    refreshPrompt();
  });
  rl.on('SIGINT', () => void quit().catch(fail)); // Ctrl-C, when readline drives the terminal
  // Without a terminal to drive (stdout redirected), Ctrl-C is a real signal: quit the same way.
  const onSignal = () => void quit().catch(fail);
  process.on('SIGINT', onSignal);
  rl.on('close', () => {
    // Ctrl-D (end of input), or our own close below. A closed readline must not be drawn on.
    rl = undefined;
    void quit().catch(fail);
  });

  if (options.nick !== undefined) register(options.nick).catch(fail);
  else refreshPrompt();

  const code = await finished;
  process.off('SIGINT', onSignal);
  quitting = true;
  rl?.close();
  return code;
}
