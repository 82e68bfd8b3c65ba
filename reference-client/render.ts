/**
 * How events and replies look on the terminal. Pure functions from meaning to text: no wire strings
 * (those are protocol.ts's), no terminal control (that is interactive.ts's).
 *
 * Colour only through node:util styleText, and only when `colourEnabled` says the terminal wants it.
 */
import { styleText } from 'node:util';
import type { Outcome } from './chat-client.ts';
import type { EventName } from './protocol.ts';

type Format = Parameters<typeof styleText>[0];
export type Style = (format: Format, text: string) => string;

/** Colour when writing to a terminal that has colours, unless NO_COLOR is set (https://no-color.org). */
export function colourEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors();
}

export function makeStyle(colour: boolean): Style {
  return colour ? (format, text) => styleText(format, text) : (_format, text) => text;
}

/**
 * Server text is shown, never interpreted: control characters (a non-conforming server could send
 * terminal escapes) become visible `\xNN` escapes.
 */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Who "you" are, to word events about oneself. */
export interface RenderContext {
  me: string | undefined;
}

export function renderGreeting(fields: Record<string, string>, style: Style): string {
  const version = fields.version ? ` (protocol ${sanitize(fields.version)})` : '';
  return style('dim', `connected to ${sanitize(fields.server ?? 'server')}${version}`);
}

function label(channel: string, style: Style): string {
  return style('cyan', `[${sanitize(channel)}]`);
}

function who(nick: string | undefined, ctx: RenderContext): string {
  if (nick === undefined) return '?';
  return nick === ctx.me ? 'you' : sanitize(nick);
}

export function renderEvent(event: EventName, f: Record<string, string>, ctx: RenderContext, style: Style): string {
  const s = (text: string | undefined) => sanitize(text ?? '');
  const note = (text: string) => style('yellow', `* ${text}`);
  switch (event) {
    case 'message':
      return `${label(f.channel ?? '?', style)} ${style('bold', `<${s(f.from)}>`)} ${s(f.text)}`;
    case 'private':
      return `${style('magenta', `[private] <${s(f.from)}>`)} ${s(f.text)}`;
    case 'joined':
      return `${label(f.channel ?? '?', style)} ${note(`${s(f.nick)} joined`)}`;
    case 'left':
      return `${label(f.channel ?? '?', style)} ${note(`${s(f.nick)} left`)}`;
    case 'quit':
      return note(`${s(f.nick)} quit`);
    case 'kicked':
      return `${label(f.channel ?? '?', style)} ${note(`${who(f.nick, ctx)} ${f.nick === ctx.me ? 'were' : 'was'} kicked by ${s(f.by)}`)}`;
    case 'renamed':
      return note(`channel ${s(f.old)} is now ${s(f.new)}`);
    case 'owner':
      return `${label(f.channel ?? '?', style)} ${note(`${who(f.nick, ctx)} ${f.nick === ctx.me ? 'are' : 'is'} now the owner (~)`)}`;
    case 'granted':
      return `${label(f.channel ?? '?', style)} ${note(`${who(f.nick, ctx)} ${f.nick === ctx.me ? 'are' : 'is'} now admin (@), granted by ${s(f.by)}`)}`;
    case 'revoked':
      return `${label(f.channel ?? '?', style)} ${note(`${who(f.nick, ctx)} ${f.nick === ctx.me ? 'are' : 'is'} no longer admin, revoked by ${s(f.by)}`)}`;
    case 'nick':
      return note(`${s(f.old)} is now known as ${s(f.new)}`);
    case 'file':
      return style('green', `* ${s(f.from)} sent you a file: ${s(f.name)} (${s(f.size)} bytes); save it with /RECV ${s(f.name)} [path]`);
    case 'global':
      return style('bold', `[global] <${f.from === '*' ? 'server' : s(f.from)}> ${s(f.text)}`);
    case 'killed':
      return style('red', `* you were disconnected by ${f.by === '*' ? 'the server' : s(f.by)}: ${s(f.reason)}`);
  }
}

/** Owner and admin marks stand out; the legend is spelled once. */
function renderMembers(members: string, style: Style): string {
  const shown = members
    .split(' ')
    .filter((m) => m !== '')
    .map((m) => (m.startsWith('~') ? style('bold', sanitize(m)) : m.startsWith('@') ? style('underline', sanitize(m)) : sanitize(m)));
  return `${shown.join(' ')}  ${style('dim', '(~ owner, @ admin)')}`;
}

export function renderError(code: string, reason: string, style: Style): string {
  return style('red', `error ${sanitize(code)}${reason ? `: ${sanitize(reason)}` : ''}`);
}

/**
 * The lines to show for a final reply (and its data lines). Empty when the user's own screen
 * already says it (a plain message they just typed). File transfers are worded by file-transfer.ts.
 */
export function renderOutcome(outcome: Outcome, ctx: RenderContext, style: Style): string[] {
  const { reply, command } = outcome;
  if (!reply.ok) return [renderError(reply.code ?? '?', reply.fields.reason ?? '', style)];
  const f = reply.fields;
  const s = (text: string | undefined) => sanitize(text ?? '');
  const ok = (text: string) => style('green', text);
  const data = outcome.data;
  switch (reply.command ?? command?.name) {
    case 'say':
      return [];
    case 'register':
      return [ok(`welcome, ${s(f.nick ?? ctx.me)}; /JOIN <channel> to start, /HELP for commands`)];
    case 'help':
      return data.map((d) => sanitize(d.fields.text ?? ''));
    case 'ping':
      return [ok(f.token ? `pong ${s(f.token)}` : 'pong')];
    case 'list':
      return [f.channels ? `channels: ${s(f.channels)}` : 'no channels'];
    case 'join':
      return [`${label(f.channel ?? '?', style)} ${ok(f.role === 'owner' ? 'joined; you created it and are its owner (~)' : 'joined')}`];
    case 'leave':
      return [`${label(f.channel ?? '?', style)} ${ok('left; you are in the lobby')}`];
    case 'who':
      return [`${label(f.channel ?? '?', style)} members: ${renderMembers(f.members ?? '', style)}`];
    case 'msg':
      return [`${style('magenta', `[private] to ${s(f.nicks)}:`)} ${s(command?.args.text)}`];
    case 'bye':
      return [style('dim', 'bye')];
    case 'kick':
      return [`${label(f.channel ?? '?', style)} ${ok(`you kicked ${s(f.nick)}`)}`];
    case 'ren':
      return [ok(`channel ${s(f.old)} is now ${s(f.new)}`)];
    case 'current':
      return [`current channel: ${label(f.channel ?? '?', style)}`];
    case 'nick':
      return [ok(`you are now known as ${s(f.new)}`)];
    case 'grant':
      return [`${label(f.channel ?? '?', style)} ${ok(`${s(f.nick)} is now admin (@)`)}`];
    case 'revoke':
      return [`${label(f.channel ?? '?', style)} ${ok(`${s(f.nick)} is no longer admin`)}`];
    case 'history':
      return [
        ...data.map((d) => style('dim', `${label(d.fields.channel ?? '?', style)} <${s(d.fields.from)}> ${s(d.fields.text)}`)),
        style('dim', `(${s(f.count)} message${f.count === '1' ? '' : 's'} of history)`),
      ];
    case 'oper':
      return [ok('you are an operator')];
    case 'global':
      return [ok('broadcast sent')];
    case 'kill':
      return [ok(`${s(f.nick)} disconnected`)];
    case 'ban':
      return [ok(`${s(f.nick)} disconnected and ${s(f.address)} banned`)];
    case 'unban':
      return [ok(`${s(f.address)} unbanned`)];
    default:
      return [ok(sanitize(outcome.raw))];
  }
}
