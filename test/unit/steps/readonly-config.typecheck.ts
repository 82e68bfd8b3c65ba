/**
 * Compile-time proof that the run's configuration and a compiled profile cannot be written: checked by
 * `npm run typecheck` (tsconfig includes test/), never run. Each line below must be a type error; should a
 * type become writable again, its `@ts-expect-error` is unused and the typecheck fails. At run time,
 * scenario-state.test.ts runs the suite with both frozen.
 */
import type { HarnessParameters } from '../../../harness/session/session-api.ts';
import type { Profile } from '../../../harness/dialect/profile-types.ts';

export function writesTheTypesReject(parameters: HarnessParameters, profile: Profile): void {
  // @ts-expect-error the scenario's target is the World's (steps/support/world.ts), not the run's parameters
  parameters.target = { host: '127.0.0.1', port: 1 };
  // @ts-expect-error nor one field of it
  parameters.target.port = 1;
  // @ts-expect-error
  parameters.timeoutMs = 1;
  // @ts-expect-error
  parameters.sandbox!.allow.push('/');
  // @ts-expect-error
  parameters.sandbox!.limits.memoryBytes = 1;
  // @ts-expect-error a profile is shared by every scenario that loads it (loadProfile caches it)
  profile.name = 'other';
  // @ts-expect-error
  profile.greeting.push(/x/);
  // @ts-expect-error
  profile.commands.say = undefined;
  // @ts-expect-error
  profile.commands.say!.templates[0] = 'SAY';
  // @ts-expect-error
  profile.events.joined!.pop();
  // @ts-expect-error
  profile.register.push({ kind: 'send', template: 'x' });
  // @ts-expect-error
  profile.values['role']!['1'] = 'owner';
  // @ts-expect-error
  profile.console!.commands.kill = [];
  // @ts-expect-error
  profile.names.nick = {};
  // @ts-expect-error
  profile.variants.bye = 'leave-first';
  // @ts-expect-error
  profile.server.port = 1;
}
