/** profile:check on the shipped profiles, and its warnings about anchored patterns in stream framing. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadProfile, parseProfile, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { describeProfile, profileWarnings } from '../../../harness/cli/profile-check.ts';

describe('profile:check', () => {
  for (const name of ['canonical', 'lenient', 'seed', 'seed-client']) {
    it(`${name} is valid and has no warning`, () => {
      const profile = loadProfile(name);
      assert.deepEqual(profileWarnings(profile), []);
      assert.match(describeProfile(profile), new RegExp(`^profile "${name}" .* is valid\\.`));
    });
  }

  it('warns about anchored patterns in a stream profile, naming where', () => {
    const raw = JSON.parse(readFileSync(resolveProfilePath('seed'), 'utf8'));
    raw.events.quit = '^{nick} est parti$';
    raw.commands.ren.ok = '^Votre a été bien renommée';
    const profile = parseProfile(JSON.stringify(raw), 'anchored.json');
    assert.deepEqual(profileWarnings(profile), [
      'commands.ren.ok: anchored pattern /^Votre a été bien renommée/ in stream framing (remove ^ and $)',
      'events.quit: anchored pattern /^(?<nick>[^\\s]+) est parti$/ in stream framing (remove ^ and $)',
    ]);
    assert.match(describeProfile(profile), /warnings \(2\):\n {2}- commands\.ren\.ok/);
  });

  it('says whether @console scenarios can be graded, and whether the console answers are read', () => {
    assert.match(describeProfile(loadProfile('canonical')), /\n {2}console {6}yes: actor "\*", commands global, kill, ban, unban, answers read\n/);
    assert.match(describeProfile(loadProfile('seed')), /\n {2}console {6}no: @console scenarios are not gradable\n/);
  });

  it('anchored patterns are fine in lines framing (the canonical profile anchors everything)', () => {
    assert.deepEqual(profileWarnings(loadProfile('canonical')), []);
  });
});
