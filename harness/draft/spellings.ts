/**
 * The spellings profile:draft tries for each command: the forms a server's own usage text shows (its
 * greeting or HELP: `[COMMAND] JOIN <channel>`, `* /JOIN <channel>: ...`, `PRIVMSG * :<text>`), then the
 * course's common spellings (`/JOIN x`, `JOIN x`, a bare line for a message, `message<text>`).
 */
import type { CommandName } from '../session/session-api.ts';

export type ProbedCommand = Extract<CommandName, 'register' | 'join' | 'say' | 'msg' | 'leave' | 'who' | 'list' | 'kick' | 'bye' | 'ping'>;

/** Command words a usage text may use for each command. */
const WORDS: Record<ProbedCommand, string[]> = {
  register: ['NICK'],
  join: ['JOIN'],
  say: ['SAY', 'MSG', 'PRIVMSG', 'SEND'],
  msg: ['MSG', 'PRIVMSG', 'PRIV', 'WHISPER', 'PM'],
  leave: ['LEAVE', 'PART'],
  who: ['WHO', 'NAMES'],
  list: ['LIST'],
  kick: ['KICK'],
  bye: ['BYE', 'QUIT', 'EXIT'],
  ping: ['PING'],
};

/** The arguments each probed command's template takes, in the probe's order. */
const ARGS: Record<ProbedCommand, string[]> = {
  register: ['nick'],
  join: ['channel'],
  say: ['text'],
  msg: ['nicks', 'text'],
  leave: [],
  who: [],
  list: [],
  kick: ['nick'],
  bye: [],
  ping: ['token'],
};

const DEFAULTS: Record<ProbedCommand, string[]> = {
  register: ['{nick}', 'NICK {nick}', '/NICK {nick}'],
  join: ['/JOIN {channel}', 'JOIN {channel}'],
  say: ['{text}', 'message{text}', 'SAY {text}', '/SAY {text}'],
  msg: ['/MSG {nicks} {text}', 'MSG {nicks} {text}', 'PRIV {nicks} {text}', '/PRIV {nicks} {text}'],
  leave: ['/LEAVE', 'LEAVE', '/PART', 'PART'],
  who: ['/WHO', 'WHO', '/NAMES', 'NAMES'],
  list: ['/LIST', 'LIST'],
  kick: ['/KICK {nick}', 'KICK {nick}'],
  bye: ['/BYE', 'BYE', '/QUIT', 'QUIT'],
  ping: ['/PING {token}', 'PING {token}', 'PING :{token}'],
};

/** Usage placeholders and the template argument each stands for. */
const ARG_NAMES: Array<[RegExp, string]> = [
  [/^#?<(?:channel|chan|room|canal|chaine)>$/i, 'channel'],
  [/^<(?:nick|name|user|pseudo|nickname)>$/i, 'nick'],
  [/^:?<(?:text|message|msg)>$/i, 'text'],
  [/^:?<(?:token)>$/i, 'token'],
];

/** One usage form found in a server's text: its template (with {args}) and the arguments it uses. */
interface UsageForm {
  word: string;
  template: string;
  args: string[];
}

/** Forms like `[COMMAND] JOIN <channel>` or `PRIVMSG * :<text>` in a usage text. */
export function usageForms(text: string): UsageForm[] {
  const forms: UsageForm[] = [];
  const pattern = /(\[[A-Z]+\] |\/)?(?<!\[)\b([A-Z]{2,10})((?: (?:[#:]?<[A-Za-z]+>|\*))*)/g;
  for (const m of text.matchAll(pattern)) {
    const [, prefix = '', word = '', rawArgs = ''] = m;
    const args: string[] = [];
    let template = `${prefix}${word}`;
    let ok = true;
    for (const token of rawArgs.trim().split(' ').filter(Boolean)) {
      if (token === '*') {
        template += ' *';
        continue;
      }
      const found = ARG_NAMES.find(([re]) => re.test(token));
      if (!found) {
        ok = false;
        break;
      }
      const colon = token.startsWith(':') ? ':' : '';
      args.push(found[1]);
      template += ` ${colon}{${found[1]}}`;
    }
    if (ok) forms.push({ word, template, args });
  }
  return forms;
}

/** Candidate templates for `command`: usage forms first (most specific), then the common spellings. */
export function candidates(command: ProbedCommand, usage: readonly UsageForm[], prefix: string): string[] {
  const wanted = ARGS[command].map((a) => (a === 'nicks' ? 'nick' : a));
  const fromUsage = usage
    .filter((f) => WORDS[command].includes(f.word) && f.args.length === wanted.length && f.args.every((a, i) => a === wanted[i]))
    .map((f) => (command === 'msg' ? f.template.replace('{nick}', '{nicks}') : f.template));
  // A prefix the server's registration spelling showed (e.g. "[COMMAND] ") applies to its other commands.
  const prefixed = prefix !== '' && prefix !== '/' ? DEFAULTS[command].filter((t) => /^[A-Z]/.test(t)).map((t) => `${prefix}${t}`) : [];
  return [...new Set([...fromUsage, ...prefixed, ...DEFAULTS[command]])];
}
