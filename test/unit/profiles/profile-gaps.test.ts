/**
 * profile:check's list of the scenarios a profile makes not gradable (harness/run/profile-gaps.ts, issue #14):
 * the gap profile (canonical minus what the profile lacks), the missing field each reason names, and the
 * list with its points under a rubric, found by running the scenarios against the bundled reference server.
 * That run is Cucumber's, in this process (harness/run/in-process-run.ts): test/unit-files.mjs therefore gives
 * this file a process of its own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadProfile, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { describeUngradable, missingField, ungradableScenarios } from '../../../harness/run/profile-gaps.ts';
import { gapProfile } from '../../../harness/dialect/gap-profile.ts';
import { mainWithScenarios } from '../../../harness/cli/profile-check.ts';

const canonicalRaw = JSON.parse(fs.readFileSync(resolveProfilePath('canonical'), 'utf8')) as Record<string, any>;
const FIXTURES = 'test/fixtures/unreadable-fields';
const SMALL_RUBRIC = `${FIXTURES}/who-and-help.rubric.json`;

describe('gapProfile: canonical minus what the profile lacks', () => {
  it('canonical has no gap: every command, event, group and capability stays', () => {
    const { raw, notCarried } = gapProfile(loadProfile('canonical'), canonicalRaw);
    assert.deepEqual(Object.keys(raw.commands), Object.keys(canonicalRaw.commands));
    assert.deepEqual(raw.events, canonicalRaw.events);
    assert.equal(raw.who.member, canonicalRaw.who.member);
    assert.deepEqual(raw.replies, canonicalRaw.replies);
    assert.deepEqual(raw.capabilities, canonicalRaw.capabilities);
    assert.deepEqual(raw.commands.history.data, [canonicalRaw.commands.history.data]);
    assert.deepEqual(notCarried, []);
  });

  it('seed: commands and events it lacks are gone, WHO reads the owner only, no codes, no console, stream framing said', () => {
    const seed = loadProfile('seed');
    const { raw, notCarried } = gapProfile(seed, canonicalRaw);
    assert.equal(raw.name, 'seed');
    for (const name of Object.keys(canonicalRaw.commands)) assert.equal(name in raw.commands, name in seed.commands, `commands.${name}`);
    assert.equal(raw.commands.grant, undefined);
    assert.match(raw.who.member, /\(\?<owner>/);
    assert.doesNotMatch(raw.who.member, /\(\?<admin>/);
    assert.equal(raw.capabilities.errorCodes, false);
    assert.equal(raw.capabilities.rawWire, false);
    assert.equal(raw.console, undefined);
    assert.ok(notCarried.some((n) => n.startsWith('stream framing')));
  });

  it('groups the profile does not read are made non-capturing; data lines it does not read are dropped', () => {
    const noCodes = gapProfile(loadProfile(`${FIXTURES}/no-codes.profile.json`), canonicalRaw).raw;
    assert.doesNotMatch(String(noCodes.replies.error), /\(\?<code>/);
    assert.equal(noCodes.capabilities.errorCodes, true, 'codes stay claimed: the refusals say they cannot be read');
    assert.equal(gapProfile(loadProfile(`${FIXTURES}/no-help-lines.profile.json`), canonicalRaw).raw.commands.help.data, undefined);
    assert.doesNotMatch(gapProfile(loadProfile(`${FIXTURES}/no-roles.profile.json`), canonicalRaw).raw.who.member, /\(\?<(owner|admin)>/);
  });
});

describe('missingField: the profile field a reason names', () => {
  const cases: Array<[string, string]> = [
    ['profile "p" cannot express the command "grant" (no commands.grant)', 'no commands.grant'],
    ['profile "p" cannot recognise the event "renamed" (no events.renamed)', 'no events.renamed'],
    ['profile "p" cannot read the owner role in WHO (who.member has no role or owner group)', 'who.member has no role or owner group'],
    ['profile "p" reads no data lines of "help" (no commands.help.data)', 'no commands.help.data'],
    ['profile "p" reads no error code from this refusal (its replies.error pattern /^ERR (?<reason>.*)$/ has no code group and no "code"): the code NOT_ADMIN cannot be checked', 'replies.error: no code group (error codes unreadable)'],
    ['profile "p" reads no error codes (capabilities.errorCodes is false): the code NOT_ADMIN cannot be checked', 'capabilities.errorCodes'],
    ['profile "p" lacks the capability "rawWire" this step needs', 'capabilities.rawWire'],
    ['profile "p" does not allow literal wire lines (capabilities.rawWire is false)', 'capabilities.rawWire'],
    ['the profile does not extract the field "role" from the reply "OK JOIN #a"', 'a reply field "role" (no ok pattern of the command captures it)'],
    ['profile "p" cannot express "history" with count (its templates: "/HISTORY"; history takes: count)', 'commands.history: no template takes count'],
  ];
  for (const [reason, field] of cases) it(field, () => assert.equal(missingField(reason), field));
});

describe('ungradableScenarios: run against the reference server with the gaps', () => {
  it('no-roles: the WHO scenarios with roles, under who.member, with their share of the rubric\'s points; help untouched', { timeout: 120_000 }, async () => {
    const report = await ungradableScenarios(loadProfile(`${FIXTURES}/no-roles.profile.json`), { rubric: SMALL_RUBRIC });
    assert.equal(report.rubric.points, 3);
    assert.deepEqual(report.groups.map((g) => g.field), ['who.member has no role or owner group']);
    const [group] = report.groups;
    assert.deepEqual(group!.scenarios.map((s) => s.key), ['features/who.feature:10', 'features/who.feature:17', 'features/who.feature:23', 'features/who.feature:32']);
    // The "/WHO" category: 2 points over its 6 scenarios, so 1/3 each.
    for (const s of group!.scenarios) assert.equal(s.points, 0.3333);
    assert.equal(report.notGradable, 4);
    assert.equal(report.selected, 14);
    const text = describeUngradable(report);
    assert.match(text, /scenarios it makes not gradable: 4 of 14, 1\.33 of the 3 points of the rubric "WHO and HELP only/);
    assert.match(text, /\n {4}features\/who\.feature:10 {2}Members are listed in join order with the owner marked \(0\.33 pt\)\n/);
  });

  it('canonical makes nothing not gradable', { timeout: 120_000 }, async () => {
    const report = await ungradableScenarios(loadProfile('canonical'), { rubric: SMALL_RUBRIC });
    assert.equal(report.notGradable, 0);
    assert.match(describeUngradable(report), /none of the 14 the rubric/);
  });
});

describe('profile:check command line', () => {
  it('--no-scenarios prints the description only; a bad rubric is a usage error (2)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(await mainWithScenarios(['--no-scenarios', 'canonical'], (t) => out.push(t), (t) => err.push(t)), 0);
    assert.doesNotMatch(out.join('\n'), /not gradable:/);
    assert.equal(await mainWithScenarios(['--rubric', 'no-such-rubric', 'canonical'], (t) => out.push(t), (t) => err.push(t)), 2);
    assert.match(err.join('\n'), /no such rubric/);
  });
});
