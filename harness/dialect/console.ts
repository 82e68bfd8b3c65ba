/**
 * The server console through the dialect profile (PROTOCOL.md §5.18): how an operator command is typed
 * on the server's own console, who users see as its author, and how to read the console's answer when
 * the harness can see it. Like the rest of the dialect it never touches a process or a socket: the
 * target control (harness/target) carries the typed line, this module only writes and reads text.
 */
import type { CommandName } from '../../common/commands.ts';
import { NotGradableError } from './not-gradable.ts';
import { COMMAND_ARGS } from './catalogue.ts';
import { Dialect, find, type ReplyUnit } from './dialect.ts';
import type { ConsoleCommandName, ConsoleSpec } from './profile-types.ts';
import { fillFirst } from './template.ts';

export class ConsoleDialect {
  private readonly spec: ConsoleSpec;

  /** NotGradableError when the profile has no console section: its scenarios cannot be graded. */
  constructor(private readonly dialect: Dialect) {
    const spec = dialect.profile.console;
    if (!spec) {
      throw new NotGradableError(`profile "${dialect.name}" does not say how to use the server's console (no "console" section)`);
    }
    this.spec = spec;
  }

  /** The by/from field users see for the console's kills and broadcasts. */
  get actor(): string {
    return this.spec.actor;
  }

  /** The line to type on the console, without line ending (the target adds its own). */
  render(command: ConsoleCommandName, args: Readonly<Record<string, string | undefined>>): string {
    const templates = this.spec.commands[command];
    if (templates === undefined) {
      throw new NotGradableError(`profile "${this.dialect.name}" cannot type "${command}" on the server's console (no console.commands.${command}, nor commands.${command})`);
    }
    const line = fillFirst(templates, args);
    if (line === undefined) {
      throw new NotGradableError(
        `profile "${this.dialect.name}" cannot type "${command}" on the console with ${Object.keys(args).join(', ') || 'no arguments'} ` +
          `(its templates: ${templates.map((t) => JSON.stringify(t)).join(', ')}; ${command} takes: ${COMMAND_ARGS[command].join(', ')})`,
      );
    }
    return line;
  }

  /**
   * The console's answer to one typed line, read from its output lines: the first line the profile's
   * console.answer recognises, its `reply` group classified like a user's final reply to `command`
   * (or to any command, for a literal line). NotGradableError when the output cannot be read at all
   * (null: the target does not show it; or the profile has no console.answer); undefined when it can
   * be read and holds no answer.
   */
  readAnswer(output: readonly string[] | null, command?: CommandName): ReplyUnit | undefined {
    if (output === null) {
      throw new NotGradableError("the harness cannot read this target's console output (only the embedded reference server's)");
    }
    if (this.spec.answer.length === 0) {
      throw new NotGradableError(`profile "${this.dialect.name}" does not say how the console answers (no console.answer)`);
    }
    const matcher = this.dialect.finalReplyMatcher(command);
    for (const line of output) {
      for (const pattern of this.spec.answer) {
        const reply = find(pattern, line)?.fields.reply;
        if (reply === undefined) continue;
        const unit = matcher(reply)?.value;
        if (unit !== undefined && unit.kind !== 'data') return unit;
      }
    }
    return undefined;
  }
}
