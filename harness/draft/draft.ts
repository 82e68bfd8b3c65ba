/**
 * profile:draft's probing session and the draft it writes. Four users (a, b, c, d) try the course's
 * commands in their common spellings and in the server's own (from its usage text), in a fixed script
 * that produces each observable once: registration (and which names the server takes), the channel list
 * empty and not, joins (owner, members, the join notice), WHO (early: a bare list in replies without line
 * endings decides idle framing), a message, a private message (and one to nobody), refusals (unknown
 * command, joining twice, a member kicking, a message from the lobby, a nick in use, a command before
 * registering), a kick, a plain departure and the owner's (the new owner; replies glued in one burst give
 * wire.split), a goodbye and the others' quit notice, a ping. Refusals become replies.error (errors.ts).
 *
 * Every field written is what was seen, generalised only over the probe's own values; each comes with
 * its evidence (the exchange) and a confidence; what the script could not see is listed and left out,
 * so the scenarios that need it are "not gradable" rather than graded on a guess.
 */
import { randomBytes } from 'node:crypto';
import { COMMAND_ENTRIES } from '../../common/commands.ts';
import type { RawProfile } from '../dialect/profile-types.ts';
import { difference, generalize, linesOf, WILD, type Known } from './generalize.ts';
import { Probe, type ProbeOptions } from './probe.ts';
import { candidates, usageForms } from './spellings.ts';
import { inferSplit, leadingMarker } from './split.ts';
import { inferErrors } from './errors.ts';

export type Confidence = 'high' | 'medium' | 'low';

export interface Evidence {
  field: string;
  confidence: Confidence;
  seen: string;
}

export interface DraftResult {
  profile: RawProfile & { draft: { evidence: Evidence[]; notInferred: string[]; probeMs: number; quietMs: number } };
  transcript: string;
}

/** Words that make a reply a refusal when the draft has no better sample. */
const ERROR_WORDS = /(?<![\p{L}\d_])(?:err(?:or|eur)?|invalid|invalide|unknown|inconnue?|denied|refused|not|interdite?|cannot|can't|already|déjà|no such|pas|register first|erreur)(?![\p{L}\d_])|^\S+ 4\d\d /imu;

/** A nick as PROTOCOL.md §3.1 spells it (the harness's generated names always are): a bare WHO list's members. */
const NICK_CLASS = '[A-Za-z][A-Za-z0-9_-]*';

const rand = (n: number) => randomBytes(Math.ceil(n / 2) + 1).toString('hex').slice(0, n);

type Framing = 'lines' | 'stream' | 'idle';

export async function draftProfile(options: ProbeOptions & { name: string }): Promise<DraftResult> {
  const started = Date.now();
  const probe = new Probe(options);
  const evidence: Evidence[] = [];
  const notInferred: string[] = [];
  const note = (field: string, confidence: Confidence, seen: string) => evidence.push({ field, confidence, seen: seen.slice(0, 300) });
  const missing = (field: string, why: string): void => {
    notInferred.push(`${field}: ${why}`);
  };
  try {
    return await run();
  } finally {
    probe.closeAll();
  }

  async function run(): Promise<DraftResult> {
    const profile: RawProfile = {
      name: options.name,
      description: '',
      register: [],
      replies: {},
      commands: {},
      events: {},
      capabilities: { lobby: true, rawWire: false, errorCodes: false },
    };

    // ---- greeting, usage text, registration ---------------------------------------------------
    const greeting = await probe.open('a');
    let usage = usageForms(greeting);
    const suffix = rand(4);
    const nickOf = (user: string) => `${user}p${suffix}`.slice(0, 8);
    let registered: { template: string; ending: string; reply: string } | undefined;
    outer: for (const ending of ['\n', '\r\n', '']) {
      for (const template of candidates('register', usage, '')) {
        if (!probe.isOpen('a') || registered === undefined) await probe.open('a');
        const nick = nickOf('a');
        const reply = (await probe.act('a', fill(template, { nick }) + ending)).a ?? '';
        if (reply.includes(nick) && !ERROR_WORDS.test(reply)) {
          registered = { template, ending, reply };
          break outer;
        }
        await probe.open('a'); // a refused attempt may have left state behind
      }
    }
    if (!registered) throw new Error('no registration spelling worked (tried a bare nick, NICK <nick>, /NICK <nick>, and the spellings of the server\'s usage text, with \\n, \\r\\n and no terminator); see the transcript');
    const { ending } = registered;
    // Replies without a line ending are read as a stream, or by idle gaps once WHO shows a list with no
    // header to find it by (below); the patterns are written once that is decided.
    let framing: Framing = /\n$/.test(registered.reply) ? 'lines' : 'stream';
    let anchor = framing === 'lines';
    /** idle framing: where a burst of glued replies is cut (wire.split), once seen. */
    let split: RegExp | undefined;
    const unitsOf = (text: string): string[] => unitsIn(text, framing, split);
    /** The first unit of a text. */
    const firstUnit = (text: string): string => unitsOf(text)[0] ?? '';
    /** The unit of `text` that contains `value`, else the first. */
    const unitWith = (text: string, value: string): string => unitsOf(text).find((unit) => unit.includes(value)) ?? firstUnit(text);
    /** The last unit of a text (a final reply after data lines). */
    const unitOf = (text: string): string => unitsOf(text).at(-1) ?? '';
    profile.wire = { framing, stripAnsi: true, lineEnding: ending, ...(ending === '' ? { sendPauseMs: 100 } : {}) };
    note('wire.lineEnding', 'high', `registration worked with ${JSON.stringify(registered.template + ending)}`);
    if (ending === '') note('wire.sendPauseMs', 'medium', 'commands work only without a terminator: each must arrive as its own chunk');
    const prefix = /^(.*?)NICK/.exec(registered.template)?.[1] ?? '';

    const send = (user: string, template: string, values: Record<string, string>, expectReply = false) => probe.act(user, fill(template, values) + ending, expectReply);
    const open = async (user: string) => {
      const g = await probe.open(user);
      const reply = (await send(user, registered!.template, { nick: nickOf(user) }, true))[user] ?? '';
      if (!reply.includes(nickOf(user))) throw new Error(`registering ${user} again failed: ${JSON.stringify(reply)}`);
      return g;
    };

    // ---- names the server takes ---------------------------------------------------------------
    const accepts = async (nick: string): Promise<boolean> => {
      await probe.open('n');
      const reply = (await send('n', registered!.template, { nick }))['n'] ?? '';
      probe.close('n');
      return reply.includes(nick) && !ERROR_WORDS.test(reply);
    };
    // A nick PROTOCOL.md §3.1 forbids ("!"): its refusal, read once refusals can be told (below), is NICK_INVALID.
    await probe.open('n');
    const badNickReply = (await send('n', registered.template, { nick: `u!${rand(3)}` }))['n'] ?? '';
    probe.close('n');
    const nickRule: { allowed?: string; maxLength?: number } = {};
    if (!(await accepts(`u_${rand(4)}`))) nickRule.allowed = 'A-Za-z0-9';
    for (const length of [16, 12, 10, 8]) {
      if (await accepts(`u${rand(20)}`.slice(0, length))) {
        if (length < 16) nickRule.maxLength = length;
        break;
      }
      if (length === 8) nickRule.maxLength = 8;
    }
    if (Object.keys(nickRule).length > 0) {
      profile.names = { nick: nickRule };
      note('names.nick', 'medium', `refused: ${nickRule.allowed ? 'a nick with "_"' : ''} ${nickRule.maxLength ? `nicks longer than ${nickRule.maxLength}` : ''}`.trim());
    }

    for (const user of ['b', 'c', 'd']) await open(user);
    const known: Known[] = ['a', 'b', 'c', 'd'].map((u) => ({ value: nickOf(u), field: 'nick' }));
    /** The user who tries odd channel names at the end. */
    const channelTester = `n${rand(5)}`;

    const errors: Array<{ text: string; code: string }> = [];
    /** Units known to be successes: an error prefix must not start any of them. */
    const successes: string[] = [registered.reply, greeting];
    /** The marker the unknown-command refusal starts with (`!!! `), when no success starts with it: refusals are marked so. */
    let errorMarker: string | undefined;
    const isError = (text: string) =>
      text !== '' && (ERROR_WORDS.test(text) || errors.some((e) => e.text === unitOf(text)) || (errorMarker !== undefined && unitOf(text).startsWith(errorMarker)));

    // ---- LIST before any channel ----------------------------------------------------------------
    // Kept whatever they say ("Il n'y a pas de chaines" reads like a refusal): the spelling that later lists
    // the channels tells which of these was the empty list.
    const emptyLists = new Map<string, string>();
    for (const template of candidates('list', usage, prefix)) {
      const reply = (await send('a', template, {})).a ?? '';
      if (reply !== '') emptyLists.set(template, reply);
    }

    // ---- JOIN: the owner, then members (and the join notice) ------------------------------------
    let channelPrefix = '';
    const room = () => `${channelPrefix}r${suffix}`;
    const other = () => `${channelPrefix}o${suffix}`;
    let join: { template: string; owner: string } | undefined;
    for (const pre of ['', '#']) {
      channelPrefix = pre;
      for (const template of candidates('join', usage, prefix)) {
        const reply = (await send('a', template, { channel: room() })).a ?? '';
        if (!isError(reply)) {
          join = { template, owner: reply };
          break;
        }
      }
      if (join) break;
    }
    const knownChannels = (): Known[] => [{ value: room(), field: 'channel' }, { value: other(), field: 'channel' }];
    let joinedNotice: string | undefined;
    let memberReply = '';
    if (join) {
      const r = await send('b', join.template, { channel: room() });
      memberReply = r.b ?? '';
      joinedNotice = r.a;
      await send('c', join.template, { channel: room() });
      await send('d', join.template, { channel: other() });
      profile.commands.join = { send: join.template };
      if (channelPrefix !== '') {
        profile.names = { ...profile.names, channel: { prefix: channelPrefix } };
        note('names.channel', 'high', `a channel without "${channelPrefix}" was refused, with it accepted`);
      }
    } else missing('commands.join', 'no JOIN spelling was accepted');

    // ---- an unknown command, spelled like the join (its prefix: "/", "[COMMAND] ", nothing) ----------
    const unknownTemplate = `${join ? (/^(.*?)JOIN/.exec(join.template)?.[1] ?? prefix) : prefix}{word}`;
    const unknownWord = `XQ${rand(4).toUpperCase()}`;
    const unknownReply = (await send('a', unknownTemplate, { word: unknownWord })).a ?? '';
    // A nonsense command word is refused: its answer is a refusal even in words the draft does not know, and
    // the marker it starts with marks refusals, if no success seen so far starts with it.
    const unknownMarker = leadingMarker(unitOf(unknownReply))?.literal;
    const marksSuccess = (marker: string) => [registered.reply, join?.owner ?? '', memberReply].flatMap(unitsOf).some((unit) => unit.startsWith(marker));
    if (unknownMarker !== undefined && unknownMarker.trim().length >= 2 && !unknownReply.includes(nickOf('a')) && !marksSuccess(unknownMarker)) {
      errorMarker = unknownMarker;
      note('replies.error marker', 'medium', `the answer to the unknown command ${JSON.stringify(unknownWord)} starts with ${JSON.stringify(unknownMarker)}, which starts no success seen`);
    }
    if (isError(unknownReply)) errors.push({ text: unitOf(unknownReply), code: 'UNKNOWN_COMMAND' });
    /** A refusal that is the unknown-command answer (the word tried in place of ours): a wrong spelling, not a rule. */
    const looksUnknown = (reply: string, template: string): boolean => {
      if (unknownReply === '' || reply === '') return false;
      const word = /([A-Za-z]{2,})/.exec(template)?.[1] ?? '';
      const unit = unitOf(reply);
      const sample = unitOf(unknownReply);
      return unit === sample || unit === sample.split(unknownWord).join(word);
    };

    // ---- WHO: a bare list of members (no header) in replies without line endings means idle framing ----
    let who: { template: string; reply: string } | undefined;
    for (const template of candidates('who', usage, prefix)) {
      if (!join) break;
      const reply = (await send('a', template, {})).a ?? '';
      if (![nickOf('a'), nickOf('b'), nickOf('c')].every((n) => reply.includes(n)) || isError(reply)) continue;
      who = { template, reply };
      break;
    }
    if (framing === 'stream' && who && bareList(who.reply, [nickOf('a'), nickOf('b'), nickOf('c')])) {
      framing = 'idle';
      anchor = true;
      profile.wire = { ...profile.wire, framing };
      note('wire.framing', 'medium', `replies carry no line ending and WHO answers a bare list of members (${JSON.stringify(who.reply)}): a reply is what arrives before a pause`);
    } else note('wire.framing', 'medium', `the registration reply ${JSON.stringify(registered.reply)} ${framing === 'lines' ? 'ends with a newline' : 'has no trailing newline'}`);
    const regUnit = unitWith(registered.reply, nickOf('a'));
    profile.register = [{ send: registered.template }, { expect: generalize(regUnit, [{ value: nickOf('a'), field: 'nick' }], 'placeholders', anchor) }];
    note('register', 'high', registered.reply);

    // ---- a message in the channel ----------------------------------------------------------------
    const text = `hi there ${rand(4)}`;
    let say: { template: string; reply: string; seen: string } | undefined;
    if (join) {
      for (const template of candidates('say', usage, prefix)) {
        const r = await send('a', template, { text });
        const seen = r.b ?? '';
        const word = /^[^{]*?([A-Za-z]{3,})/.exec(template)?.[1];
        if (seen.includes(text) && !(word && seen.includes(`${word} ${text}`)) && (r.d ?? '') === '') {
          say = { template, reply: r.a ?? '', seen };
          break;
        }
      }
      if (say) {
        profile.commands.say = commandSpec(say.template, say.reply, [...knownChannels(), { value: text, field: 'text' }]);
        profile.events.message = eventPattern(unitWith(say.seen, text), [{ value: nickOf('a'), field: 'from' }, { value: room(), field: 'channel' }, { value: text, field: 'text' }]);
        note('commands.say', 'high', `b received ${JSON.stringify(say.seen)}; d (another channel) nothing`);
        note('events.message', 'high', say.seen);
        // The join is confirmed: members receive each other's messages.
        note('commands.join', 'high', `after the join, a channel message reached the other member`);
      } else missing('commands.say / events.message', 'no spelling of a channel message reached the other member');
    }
    if (join) {
      profile.commands.join = commandSpec(join.template, join.owner, knownChannels());
      inferRole(profile, join.owner, memberReply);
      if (joinedNotice) {
        const unit = unitWith(joinedNotice, nickOf('b'));
        if (unit !== '') {
          profile.events.joined = eventPattern(unit, [{ value: nickOf('b'), field: 'nick' }, { value: room(), field: 'channel' }]);
          note('events.joined', 'high', joinedNotice);
        }
      } else missing('events.joined', 'the owner saw nothing when another user joined (no join notice, or a silent one)');
    }

    // ---- LIST with channels ------------------------------------------------------------------------
    for (const template of candidates('list', usage, prefix)) {
      if (!join) break;
      const reply = (await send('a', template, {})).a ?? '';
      if (!reply.includes(room()) || !reply.includes(other()) || isError(reply)) continue;
      inferList(profile, template, reply, emptyLists.get(template));
      break;
    }
    if (!profile.commands.list) missing('commands.list', 'no LIST spelling listed the channels');

    // ---- WHO (probed earlier: it decides the framing) ----------------------------------------------
    if (who) inferWho(profile, who.template, who.reply);
    if (!profile.commands.who) missing('commands.who', 'no WHO spelling listed the members (or the list has no header to find it by)');

    // ---- a private message ---------------------------------------------------------------------------
    const secret = `psst ${rand(4)}`;
    for (const template of candidates('msg', usage, prefix)) {
      if (!join) break;
      const r = await send('a', template, { nicks: nickOf('b'), text: secret });
      if (!(r.b ?? '').includes(secret) || (r.c ?? '').includes(secret)) continue;
      profile.commands.msg = commandSpec(template, r.a ?? '', [{ value: nickOf('b'), field: 'nicks' }, { value: secret, field: 'text' }]);
      const nobody = (await send('a', template, { nicks: nickOf('z'), text: secret })).a ?? '';
      if (isError(nobody)) errors.push({ text: unitOf(nobody), code: 'NO_SUCH_NICK' });
      profile.events.private = eventPattern(unitWith(r.b!, secret), [{ value: nickOf('a'), field: 'from' }, { value: secret, field: 'text' }, { value: nickOf('b'), field: WILD }]);
      note('events.private', 'high', r.b!);
      for (const separator of [';', ',']) {
        const both = `both ${rand(4)}`;
        const r2 = await send('a', template, { nicks: `${nickOf('b')}${separator}${nickOf('c')}`, text: both });
        if ((r2.b ?? '').includes(both) && (r2.c ?? '').includes(both)) {
          (profile.commands.msg as { nickSeparator?: string }).nickSeparator = separator;
          note('commands.msg.nickSeparator', 'high', `"${separator}" reached both targets`);
          break;
        }
      }
      break;
    }
    if (!profile.commands.msg) missing('commands.msg / events.private', 'no private message spelling reached its target');

    // ---- refusals -----------------------------------------------------------------------------------
    if (join) {
      const twice = (await send('a', join.template, { channel: room() })).a ?? '';
      if (isError(twice)) errors.push({ text: unitOf(twice), code: 'ALREADY_MEMBER' });
    }
    let kick: string | undefined;
    if (join) {
      for (const template of candidates('kick', usage, prefix)) {
        const r = await send('b', template, { nick: nickOf('c') });
        if (isError(r.b ?? '') && !looksUnknown(r.b ?? '', template)) {
          errors.push({ text: unitOf(r.b!), code: 'NOT_ADMIN' });
          kick = template;
          break;
        }
      }
    }
    await probe.open('e');
    await send('e', registered.template, { nick: nickOf('e') }, true);
    if (say) {
      const lobby = (await send('e', say.template, { text: 'anyone' })).e ?? '';
      if (isError(lobby)) errors.push({ text: unitOf(lobby), code: 'NO_CHANNEL' });
    }
    await probe.open('f');
    const inUse = (await send('f', registered.template, { nick: nickOf('b') })).f ?? '';
    if (isError(inUse)) errors.push({ text: unitOf(inUse), code: 'NICK_IN_USE' });
    probe.close('f');
    if (isError(badNickReply)) errors.push({ text: unitOf(badNickReply), code: 'NICK_INVALID' });
    // A command before registering (only when registering takes a command word: else any line is a nick attempt).
    if (join && /[A-Za-z]/.test(registered.template.replace('{nick}', ''))) {
      await probe.open('g');
      const early = (await send('g', join.template, { channel: room() })).g ?? '';
      if (isError(early)) errors.push({ text: unitOf(early), code: 'NOT_REGISTERED' });
      probe.close('g');
    }

    // ---- KICK ------------------------------------------------------------------------------------------
    if (kick) {
      const r = await send('a', kick, { nick: nickOf('c') });
      if (!isError(r.a ?? '') && (r.c ?? '') !== '') {
        profile.commands.kick = commandSpec(kick, r.a ?? '', [...known, ...knownChannels()]);
        const values = [{ value: nickOf('c'), field: 'nick' }, { value: nickOf('a'), field: 'by' }, { value: room(), field: 'channel' }];
        const kicked = [...new Set([eventPattern(unitWith(r.b ?? '', nickOf('c')), values), eventPattern(firstUnit(r.c!), values)])].filter((p) => p !== '' && p !== '^$');
        profile.events.kicked = kicked.length === 1 ? kicked[0]! : kicked;
        note('events.kicked', 'medium', `b saw ${JSON.stringify(r.b)}, c (kicked) saw ${JSON.stringify(r.c)}`);
      } else missing('commands.kick', 'the owner\'s kick was not seen by the kicked user');
    } else missing('commands.kick', 'no KICK spelling was recognised (a member\'s kick was not refused)');

    // ---- LEAVE: a member, then the owner (the new owner) ---------------------------------------------------
    for (const template of candidates('leave', usage, prefix)) {
      if (!join) break;
      const r = await send('b', template, {});
      if (isError(r.b ?? '') || (r.a ?? '') === '') {
        if (!isError(r.b ?? '') && (r.a ?? '') === '') await send('b', join.template, { channel: room() }); // maybe left silently unseen
        continue;
      }
      profile.commands.leave = commandSpec(template, r.b ?? '', knownChannels());
      const leftUnit = unitWith(r.a!, nickOf('b'));
      profile.events.left = eventPattern(leftUnit, [{ value: nickOf('b'), field: 'nick' }, { value: room(), field: 'channel' }]);
      note('events.left', 'high', r.a!);
      const fromLobby = (await send('b', template, {})).b ?? '';
      if (isError(fromLobby)) errors.push({ text: unitOf(fromLobby), code: 'NO_CHANNEL' });
      // The owner leaves: b (rejoined) and d (moved here) see the departure and the new owner.
      await send('b', join.template, { channel: room() });
      await send('d', join.template, { channel: room() });
      const r2 = await send('a', template, {});
      inferOwner(profile, [[r2.d ?? '', 'd'], [r2.b ?? '', 'b']], leftUnit.split(nickOf('b')).join(nickOf('a')), nickOf('a'));
      break;
    }
    if (!profile.commands.leave) missing('commands.leave / events.left', 'no LEAVE spelling made the others see a departure');

    // ---- BYE and the quit notice ------------------------------------------------------------------------
    // d (a plain member now) says goodbye; b (the owner) sees the quit notice, with no owner change glued to it.
    // e (in the lobby so far) joins first, to see the owner b say goodbye later.
    if (join) await send('e', join.template, { channel: room() });
    let bye: string | undefined;
    let quitUnit: string | undefined;
    for (const template of candidates('bye', usage, prefix)) {
      if (!probe.isOpen('d')) break;
      const r = await send('d', template, {});
      if (probe.isOpen('d')) continue;
      bye = template;
      profile.commands.bye = commandSpec(template, r.d ?? '', []);
      if ((r.b ?? '') !== '') {
        quitUnit = framing === 'stream' ? r.b! : unitWith(r.b!, nickOf('d'));
        profile.events.quit = eventPattern(quitUnit, [{ value: nickOf('d'), field: 'nick' }]);
        note('events.quit', 'medium', r.b!);
      } else missing('events.quit', 'nobody was told when a user left the server');
      note('commands.bye', 'high', `the server closed the connection after ${JSON.stringify(template)}`);
      break;
    }
    if (!profile.commands.bye) missing('commands.bye', 'no goodbye spelling closed the connection');

    // ---- PING: a barrier ----------------------------------------------------------------------------------
    const token = `t${rand(6)}`;
    for (const template of candidates('ping', usage, prefix)) {
      const reply = (await send('b', template, { token })).b ?? '';
      if (!reply.includes(token) || isError(reply)) continue;
      const unit = unitWith(reply, token);
      profile.commands.ping = commandSpec(template, reply, [{ value: token, field: 'token' }]);
      profile.capabilities.barrier = { send: template, expect: generalize(unit, [{ value: token, field: 'token' }], 'placeholders', anchor) };
      note('capabilities.barrier', 'high', `${JSON.stringify(template)} was answered ${JSON.stringify(reply)}`);
      break;
    }
    if (!profile.capabilities.barrier) missing('capabilities.barrier', 'no PING spelling echoed its token: "nothing happens" checks wait the quiet period');

    // ---- the owner says goodbye: how the others learn the new owner then (not always as after a departure) ----
    if (bye && join && probe.isOpen('b')) {
      const r = await send('b', bye, {});
      if (!probe.isOpen('b') && (r.e ?? '') !== '') inferOwner(profile, [[r.e!, 'e']], quitUnit?.split(nickOf('d')).join(nickOf('b')), nickOf('b'));
    }

    // ---- channel names the server takes (a fresh user joins odd names last: nothing else depends on them) ----
    if (join) {
      await probe.open('n');
      await send('n', registered.template, { nick: channelTester });
      const joins = async (channel: string) => !isError((await send('n', join!.template, { channel }))['n'] ?? '');
      // A channel name PROTOCOL.md §3.2 forbids ("!"): CHANNEL_INVALID; a join without a channel: SYNTAX. A server
      // with one catch-all refusal for the codes it does not name ("Erreur de commande") shows it in both: then
      // that text gets no code (errors.ts), and neither does any other situation it was seen in.
      const badChannel = (await send('n', join!.template, { channel: `${channelPrefix}c!${rand(3)}` }))['n'] ?? '';
      if (isError(badChannel)) errors.push({ text: unitOf(badChannel), code: 'CHANNEL_INVALID' });
      const noChannel = (await send('n', join!.template.replace(/ ?\{channel\}/, ''), {}))['n'] ?? '';
      if (isError(noChannel)) errors.push({ text: unitOf(noChannel), code: 'SYNTAX' });
      const rule: { allowed?: string; maxLength?: number; prefix?: string } = channelPrefix ? { prefix: channelPrefix } : {};
      if (!(await joins(`${channelPrefix}c_${rand(4)}`))) rule.allowed = `A-Za-z0-9${channelPrefix ? escapeClass(channelPrefix) : ''}`;
      for (const length of [32, 20, 16, 12, 10, 8]) {
        if (await joins(`${channelPrefix}c${rand(40)}`.slice(0, length))) {
          if (length < 32) rule.maxLength = length;
          break;
        }
        if (length === 8) rule.maxLength = 8;
      }
      probe.close('n');
      if (rule.allowed !== undefined || rule.maxLength !== undefined) {
        profile.names = { ...profile.names, channel: rule };
        note('names.channel', 'medium', `refused: ${rule.allowed ? 'a channel name with "_"' : ''} ${rule.maxLength ? `names longer than ${rule.maxLength}` : ''}`.trim());
      }
    }

    // ---- a rank token that varies with the role (MSG room 2 alice hi) is not literal in events ------------
    const ranks = Object.keys(profile.values?.role ?? {}).filter((token) => /^\S{1,3}$/.test(token));
    if (ranks.length > 1) {
      const alternatives = `(?:${ranks.map(escape).join('|')})`;
      for (const [name, patterns] of Object.entries(profile.events)) {
        const list = (Array.isArray(patterns) ? patterns : [patterns]).map((p) => ranks.reduce((acc, token) => acc.split(` ${escape(token)} `).join(` ${alternatives} `), p!));
        (profile.events as Record<string, string | string[]>)[name] = list.length === 1 ? list[0]! : list;
      }
    }

    // ---- the greeting, as the harness will cut it (its first unit) ------------------------------------------
    const greet = firstUnit(greeting);
    if (greet !== '') {
      profile.connect = { greeting: anchor ? `^${escape(greet)}` : escape(greet.slice(0, 40)) };
      note('connect.greeting', 'high', greeting);
    }

    // ---- errors ------------------------------------------------------------------------------------------
    const errorNicks: Known[] = [...[...'abcdefgz'].map(nickOf), channelTester].map((value) => ({ value, field: 'nick' }));
    const refusals = inferErrors(errors, { anchor, known: [...errorNicks, ...knownChannels()], successUnits: successes.flatMap(unitsOf) });
    if (refusals === undefined) missing('replies.error', 'no refusal was seen');
    else {
      profile.replies.error = refusals.error;
      profile.capabilities.errorCodes = refusals.errorCodes;
      note('replies.error', refusals.confidence, refusals.seen);
      if (refusals.unknown !== undefined) missing('replies.error codes', refusals.unknown);
    }
    if (profile.commands.join || profile.commands.say) profile.commands.unknown = unknownTemplate;

    // Every catalogue command the probe did not fill, so a command added to common/commands.ts is named here
    // with no edit. Not register: how a user registers is drafted above, in the register steps.
    for (const [command, facts] of COMMAND_ENTRIES) {
      if (command === 'register' || facts.probe) continue;
      if (!profile.commands[command]) missing(`commands.${command}`, 'not probed: write it by hand if the server has it');
    }
    missing('capabilities.rawWire', 'left false: literal canonical lines are only meaningful for servers that follow PROTOCOL.md exactly');
    profile.description = `Drafted by npm run profile:draft on ${new Date().toISOString().slice(0, 10)} (${evidence.length} inferred fields, ${notInferred.length} not inferred: see "draft").`;
    const probeMs = Date.now() - started;
    return {
      profile: { ...profile, draft: { evidence, notInferred, probeMs, quietMs: probe.currentQuietMs } },
      transcript: probe.log.map((e) => `${e.user} -> ${JSON.stringify(e.sent)}\n${Object.entries(e.received).filter(([, t]) => t !== '').map(([u, t]) => `  ${u} <- ${JSON.stringify(t)}`).join('\n')}`).join('\n'),
    };

    // ---- helpers (closures over the framing) -----------------------------------------------------------

    function commandSpec(template: string, reply: string, values: readonly Known[]): NonNullable<RawProfile['commands']['join']> {
      successes.push(reply);
      if (reply === '') return { send: template, silent: true };
      const units = unitsOf(reply);
      const last = units.at(-1)!;
      const all: Known[] = [...values, ...known];
      const ok = generalize(last, all, 'groups', anchor);
      return units.length > 1 && framing === 'lines'
        ? { send: template, ok, data: generalize(units[0]!, all, 'groups', anchor) }
        : { send: template, ok };
    }

    function eventPattern(unit: string, values: readonly Known[]): string {
      successes.push(unit);
      if (unit === '') return '';
      return generalize(unit, values.filter((v) => ['nick', 'from', 'channel', 'text', 'by', 'old', 'new', WILD].includes(v.field)), 'placeholders', anchor);
    }

    function inferRole(target: RawProfile, ownerReply: string, memberReply: string): void {
      if (ownerReply === '' || memberReply === '') return missing('commands.join role', 'the join is silent: its reply says no role');
      const o = unitOf(ownerReply).split(nickOf('a')).join('\u0000');
      const m = unitOf(memberReply).split(nickOf('b')).join('\u0000');
      const d = difference(o, m);
      if (d.a === '' || d.b === '' || /\u0000/.test(d.a + d.b)) return missing('commands.join role', 'the owner\'s and a member\'s join replies do not differ by a word');
      const spec = target.commands.join as { ok?: string };
      const generic = (text: string) => generalize(text.split('\u0000').join(nickOf('a')), [...knownChannels(), { value: nickOf('a'), field: 'nick' }], 'groups', false);
      spec.ok = `${anchor ? '^' : ''}${generic(d.prefix)}(?<role>${escape(d.a)}|${escape(d.b)})${generic(d.suffix)}${anchor ? '$' : ''}`;
      if (d.a !== 'owner' || d.b !== 'member') target.values = { ...target.values, role: { [d.a]: 'owner', [d.b]: 'member' } };
      note('commands.join.ok role', 'medium', `owner: ${JSON.stringify(ownerReply)}; member: ${JSON.stringify(memberReply)}`);
    }

    function inferList(target: RawProfile, template: string, reply: string, empty: string | undefined): void {
      successes.push(reply, empty ?? '');
      const units = unitsOf(reply);
      const lineWithRoom = units.find((u) => u.includes(room()));
      if (framing === 'lines' && lineWithRoom !== undefined && !lineWithRoom.includes(other())) {
        // One channel per line, then a final line (IRC's 322 ... 323).
        const last = units.at(-1)!;
        if (last.includes(room()) || last.includes(other())) return missing('commands.list', `one channel per line, but no final line after them in ${JSON.stringify(reply)}`);
        target.commands.list = {
          send: template,
          data: generalize(lineWithRoom, [{ value: room(), field: 'channels' }, ...known], 'groups', true).replace('(?<channels>.*)', '(?<channels>\\S+)'),
          ok: generalize(last, known, 'groups', true),
        };
        note('commands.list', 'medium', `one channel per line: ${JSON.stringify(reply)}`);
        return;
      }
      const unit = unitWith(reply, room());
      const first = Math.min(unit.indexOf(room()), unit.indexOf(other()));
      const lastEnd = Math.max(unit.indexOf(room()) + room().length, unit.indexOf(other()) + other().length);
      const between = unit.indexOf(room()) < unit.indexOf(other()) ? unit.slice(unit.indexOf(room()) + room().length, unit.indexOf(other())) : unit.slice(unit.indexOf(other()) + other().length, unit.indexOf(room()));
      if (between === '' || /[A-Za-z0-9]/.test(between)) return missing('commands.list', `cannot tell the separator between two channels in ${JSON.stringify(unit)}`);
      const head = unit.slice(0, first);
      const tail = unit.slice(lastEnd);
      const ok = [`${anchor ? '^' : ''}${escapeText(head)}(?<channels>.+?)${escapeText(tail)}${anchor ? '$' : ''}`];
      // The empty list first: "[CHANNELS] (none)" would otherwise read as a channel named "(none)".
      if (empty !== undefined && !empty.includes(room()) && !looksUnknown(empty, template)) ok.unshift(generalize(unitOf(empty), [], 'groups', anchor));
      if (head === '' && !anchor) return missing('commands.list', 'the list has no header to find it by');
      target.commands.list = { send: template, ok };
      target.list = { separator: between };
      note('commands.list', empty !== undefined ? 'high' : 'medium', `${JSON.stringify(reply)}${empty !== undefined ? `; empty: ${JSON.stringify(empty)}` : ''}`);
    }

    function inferWho(target: RawProfile, template: string, reply: string): void {
      successes.push(reply);
      const [a, b, c] = [nickOf('a'), nickOf('b'), nickOf('c')];
      const units = unitsOf(reply);
      const withMembers = units.find((u) => u.includes(a) && u.includes(b)) ?? '';
      // The last occurrence of each nick: a header may name the recipient (":srv 353 alice = #room :@alice bob").
      const at = (nick: string) => withMembers.lastIndexOf(nick);
      const start = Math.min(...[a, b, c].map(at));
      const end = Math.max(...[a, b, c].map((n) => at(n) + n.length));
      // Widen to the whole tokens around the nicks (markers such as @a@, ~a, a*, "2 a" stay inside).
      let from = start;
      while (from > 0 && !/[\s:,]/.test(withMembers[from - 1]!)) from--;
      let to = end;
      while (to < withMembers.length && !/\s|,/.test(withMembers[to]!)) to++;
      const head = withMembers.slice(0, from);
      const tail = withMembers.slice(to);
      const members = withMembers.slice(from, to);
      const rank = (nick: string) => /(\S{1,3}) $/.exec(withMembers.slice(0, at(nick)))?.[1];
      const [ra, rb, rc] = [rank(a), rank(b), rank(c)];
      if (ra !== undefined && rb !== undefined && rb === rc && ra !== rb && withMembers.slice(at(b) + b.length, at(c)) === ` ${rc} `) {
        // WHO 2 alice 0 bob 0 carol: a rank token before each nick (a regex separator, a role mapping).
        const head2 = withMembers.slice(0, at(a) - ra.length - 1);
        const alternatives = `${escape(ra)}|${escape(rb)}`;
        target.commands.who = { send: template, ok: `${anchor ? '^' : ''}${generalize(head2, [...knownChannels(), ...known], 'groups', false)}(?<members>.*)${anchor ? '$' : ''}` };
        target.who = { separator: { regex: ` (?=(?:${alternatives}) )` }, member: `^(?<role>${alternatives}) (?<nick>\\S+)$` };
        target.values = { ...target.values, role: { ...target.values?.role, [ra]: 'owner', [rb]: 'member' } };
        note('commands.who', 'medium', `a rank before each nick (owner ${JSON.stringify(ra)}, member ${JSON.stringify(rb)}): ${JSON.stringify(reply)}`);
        return;
      }
      const tokenOf = (nick: string) => members.split(/[\s,]+/).find((t) => t.includes(nick)) ?? '';
      const ownerToken = tokenOf(a);
      const memberToken = tokenOf(b);
      const separator = /[\s,]+/.exec(members)?.[0];
      if (!separator || (head === '' && !anchor)) return missing('commands.who', `cannot find the member list in ${JSON.stringify(reply)} (no header, or one member only)`);
      if (memberToken !== b) return missing('who.member', `members carry a mark (${JSON.stringify(memberToken)}) the draft cannot read`);
      const mark = ownerToken.split(a);
      const [before = '', after = ''] = mark.length === 2 ? mark : [];
      // The owner group sits on the mark's side (before the nick if marked on both sides: @alice@).
      const member =
        before !== '' ? `^(?<owner>${escape(before)})?(?<nick>[^\\s${escapeClass(before + after)}]+)${after ? `(?:${escape(after)})?` : ''}$`
        : after !== '' ? `^(?<nick>[^\\s${escapeClass(after)}]+)(?<owner>${escape(after)})?$`
        : `^(?<nick>\\S+)$`;
      if (head === '' && tail === '' && framing === 'idle') {
        // A bare list (alice*\nbob): the whole reply is the members, each a nick as PROTOCOL.md §3.1 spells them.
        const token = `${before ? `(?:${escape(before)})?` : ''}${NICK_CLASS}${after ? `(?:${escape(after)})?` : ''}`;
        target.commands.who = { send: template, ok: `^(?<members>${token}(?:${escape(separator)}${token})*)$` };
        target.who = { separator, member };
        note('commands.who', 'medium', `a bare list of members, no header: ${JSON.stringify(reply)}`);
        return;
      }
      const membersGroup = `(?<members>.*)`;
      const okText = `${anchor ? '^' : ''}${generalize(head, [...knownChannels(), ...known], 'groups', false)}${membersGroup}${escapeText(tail)}${anchor ? '$' : ''}`;
      if (units.length > 1 && framing === 'lines' && units.at(-1) !== withMembers) {
        target.commands.who = { send: template, data: okText, ok: generalize(units.at(-1)!, [...knownChannels(), ...known], 'groups', anchor) };
      } else target.commands.who = { send: template, ok: okText };
      target.who = { separator, member };
      note('commands.who', mark.length === 2 ? 'medium' : 'low', reply);
    }

    /**
     * The new-owner event, from what members saw when the owner `a` left (`departure`: how that departure
     * itself reads). Patterns add to those already found (a departure and a goodbye may say it differently).
     */
    function inferOwner(target: RawProfile, seen: ReadonlyArray<readonly [string, string]>, departure: string | undefined, a: string): void {
      // The heir is whoever the others were told about (the next member in the server's order).
      const b = ['b', 'c', 'd', 'e'].map(nickOf).filter((n) => n !== a).find((n) => seen.some(([text]) => text.includes(n))) ?? nickOf('b');
      const existing = target.events.owner;
      const patterns: string[] = existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
      for (const [saw, who] of seen) {
        if (saw === '') continue;
        if (framing === 'idle' && split === undefined && departure && saw.startsWith(departure) && saw.length > departure.length) {
          // Replies glued in one burst: cut before the marker that starts each of them, if they have one.
          const singles = [...successes.filter((text) => text !== greeting), ...errors.map((e) => e.text)];
          const cut = inferSplit(departure, saw.slice(departure.length), singles);
          if (cut !== undefined) {
            split = new RegExp(cut);
            target.wire = { ...target.wire, split: cut };
            note('wire.split', 'medium', `${who} saw two replies in one burst, each starting with a marker found inside no other reply: ${JSON.stringify(saw)}`);
          }
        }
        if (framing !== 'stream') {
          for (const unit of unitsOf(saw)) {
            const departureValues: Known[] = [{ value: a, field: 'nick' }, ...knownChannels()];
            const onlyHeirAfter = departure !== undefined && unit.startsWith(departure) && unit.slice(departure.length).trim() === b;
            if (departure && unit.startsWith(departure) && unit.length > departure.length && !onlyHeirAfter) {
              // The departure and what follows glued on one line ("alice est partibob est le nouvel..."):
              // an expand rule cuts the departure off, the rest is the new-owner event.
              const rest = unit.slice(departure.length);
              const match = `^${generalize(departure, departureValues, 'groups', false)}(?<rest>.+)$`;
              const into = [literalTemplate(departure, departureValues), '{rest}'];
              if (addExpand(target, match, into)) note('wire.expand', 'medium', `${who} saw the departure and the new owner glued on one line: ${JSON.stringify(unit)}`);
              patterns.push(generalize(rest, [{ value: b, field: 'nick' }, ...knownChannels()], 'placeholders', true));
            } else if (unit.includes(a) && unit.includes(b) && departure) {
              // One line says both things (LEAVE room alice bob): an expand rule into the two events.
              const match = generalize(unit, [{ value: a, field: 'nick' }, { value: b, field: 'heir' }, ...knownChannels()], 'groups', true);
              if (!match.includes('(?<heir>')) continue;
              const into = [literalTemplate(departure, departureValues).split('{channel}').join(match.includes('(?<channel>') ? '{channel}' : room()), OWNER_UNIT.replace('{channel}', match.includes('(?<channel>') ? '{channel}' : 'here')];
              if (addExpand(target, match, into)) note('wire.expand', 'medium', `${who} saw one line say the departure and the new owner: ${JSON.stringify(unit)}`);
              patterns.push(match.includes('(?<channel>') ? OWNER_PATTERN : OWNER_PATTERN.replace('{channel}', 'here'));
            } else if (!unit.includes(a)) patterns.push(generalize(unit, [{ value: b, field: 'nick' }, ...knownChannels()], 'placeholders', true));
          }
          continue;
        }
        const rest = departure && saw.includes(departure) ? saw.replace(departure, '') : saw.includes(a) ? '' : saw;
        if (rest.trim() !== '') patterns.push(generalize(rest, [{ value: b, field: 'nick' }, ...knownChannels()], 'placeholders', false));
      }
      const unique = [...new Set(patterns)].filter((p) => p !== '');
      if (unique.length === 0) return missing('events.owner', `nobody was told who the new owner is when the owner (${a}) left`);
      target.events.owner = unique.length === 1 ? unique[0]! : unique;
      note('events.owner', 'medium', `when the owner ${a} left: ${seen.map(([text, who]) => `${who} saw ${JSON.stringify(text)}`).join('; ')}`);
    }

  }
}

/** An expand rule, once per match. */
function addExpand(target: RawProfile, match: string, into: string[]): boolean {
  if (target.wire?.expand?.some((rule) => rule.match === match)) return false;
  target.wire = { ...target.wire, expand: [...(target.wire?.expand ?? []), { match, into }] };
  return true;
}

/** `text` as a template: each known value becomes its {field}, the rest stays as it is (no regex escaping). */
function literalTemplate(text: string, known: readonly Known[]): string {
  let out = text.replace(/[{}]/g, (brace) => brace + brace);
  for (const k of [...known].sort((x, y) => y.value.length - x.value.length)) out = out.split(k.value).join(`{${k.field}}`);
  return out;
}

/** The unit an expand rule makes for "the new owner" (the wire has none of its own), and its event pattern. */
const OWNER_UNIT = '(expanded) OWNER {channel} {heir}';
const OWNER_PATTERN = '^\\(expanded\\) OWNER {channel} {nick}$';

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const escapeText = escape;

function escapeClass(text: string): string {
  return text.replace(/[\]\\^-]/g, '\\$&');
}

/** The units of `text` as the harness will cut them: lines; the whole text (stream); a burst cut at `split` (idle). */
function unitsIn(text: string, framing: Framing, split: RegExp | undefined): string[] {
  if (framing === 'lines') return linesOf(text);
  if (framing === 'stream') return [text];
  const unit = text.replace(/\r?\n$/, '');
  return split ? unit.split(split).filter((piece) => piece !== '') : [unit];
}

/** A WHO reply that is nothing but the members (marks and separators around them): no header, no end line. */
function bareList(reply: string, nicks: readonly string[]): boolean {
  const tokens = reply.replace(/\r?\n$/, '').split(/[\s,;]+/).filter((t) => t !== '');
  return tokens.length === nicks.length && nicks.every((nick) => tokens.some((t) => t.includes(nick) && t.length <= nick.length + 2));
}
