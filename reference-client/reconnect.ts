/**
 * /RECONNECT: a new connection to the same server, with the user put back where they were: the same
 * nick, the current channel joined again. Both modes use it; each then swaps its client for the new one.
 *
 * A connection still open is closed first with /BYE (the server frees the nick before we ask for it
 * again). Whatever fails is a ReconnectError in plain words; the old connection is then closed and no
 * new one is left open.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BYE_GRACE_MS, ChatClient, ConnectionClosedError, type ChatClientListener, type Outcome } from './chat-client.ts';
import { ConnectError } from './line-connection.ts';
import type { ClientOptions } from './options.ts';
import type { Dialect } from './protocol.ts';
import { sanitize } from './render.ts';


export class ReconnectError extends Error {
  constructor(
    message: string,
    /** `unreachable`: no new connection (or it ended at once); `refused`: the server refused the nick. */
    readonly reason: 'unreachable' | 'refused',
  ) {
    super(message);
    this.name = 'ReconnectError';
  }
}

export interface Reconnected {
  client: ChatClient;
  /** What to tell the user: where they are now. */
  summary: string;
  /** Set when the channel could not be joined again (the new connection is kept). */
  warning?: string;
}

/** `CODE: reason` of a refusal, for a message. */
function refusal(outcome: Outcome): string {
  const { code, fields } = outcome.reply;
  return sanitize(`${code ?? 'ERR'}${fields.reason ? `: ${fields.reason}` : ''}`);
}

/** Closes `previous` if it is still open (with /BYE), then connects again and restores its nick and current channel. */
export async function reconnect(previous: ChatClient, options: ClientOptions, dialect: Dialect, listener: ChatClientListener): Promise<Reconnected> {
  const nick = previous.nick;
  const channel = previous.currentChannel;
  if (previous.isOpen) {
    previous.expectClose();
    if (dialect.render({ name: 'bye', args: {} }) !== undefined) previous.request({ name: 'bye', args: {} }).catch(() => {});
    await previous.close(BYE_GRACE_MS);
  }

  const where = `${options.host}:${options.port}`;
  let client: ChatClient;
  try {
    client = await ChatClient.connect({ host: options.host, port: options.port, connectTimeoutMs: options.connectTimeoutMs }, dialect, listener);
  } catch (error) {
    if (error instanceof ConnectError) throw new ReconnectError(error.message, 'unreachable');
    throw error;
  }
  try {
    // As at start-up: the greeting comes before the first command (bounded: a silent server).
    if (dialect.greets) await Promise.race([client.greeted, sleep(options.connectTimeoutMs, undefined, { ref: false })]);
    if (nick === undefined) return { client, summary: `reconnected to ${where}` };
    const registered = await client.request({ name: 'register', args: { nick } });
    if (!registered.reply.ok) {
      await client.close(BYE_GRACE_MS);
      throw new ReconnectError(`${where} refused the nick "${sanitize(nick)}": ${refusal(registered)}`, 'refused');
    }
    if (channel === undefined) return { client, summary: `reconnected to ${where} as ${sanitize(nick)}` };
    const joined = await client.request({ name: 'join', args: { channel } });
    const summary = `reconnected to ${where} as ${sanitize(nick)}`;
    if (!joined.reply.ok) return { client, summary, warning: `could not join ${sanitize(channel)} again: ${refusal(joined)}` };
    return { client, summary: `${summary}, back in ${sanitize(client.currentChannel ?? channel)}` };
  } catch (error) {
    if (error instanceof ConnectionClosedError) throw new ReconnectError(`${where} closed the new connection before the nick and channel were restored`, 'unreachable');
    if (client.isOpen) await client.close(BYE_GRACE_MS);
    throw error;
  }
}
