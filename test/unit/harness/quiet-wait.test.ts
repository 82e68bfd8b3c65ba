/**
 * The adaptive quiet wait's arithmetic (harness/wire/quiet-wait.ts): learning, floor, ceiling, back-off, its note, and a
 * process that starts from what another process of the run learned (seedFrom).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeQuietWait, FLOOR_MS, FRESH_MS, LATE_MARGIN, MIN_SAMPLES, MULTIPLIER, QuietWait, WINDOW } from '../../../harness/wire/quiet-wait.ts';

const settings = { quietMs: 300, ceilingMs: 1000, adaptive: true };

function learned(samples: number[]): QuietWait {
  const q = new QuietWait(settings);
  for (const s of samples) q.recordLatency(s);
  return q;
}

describe('QuietWait', () => {
  it('waits the configured quiet period until enough replies were timed', () => {
    const q = learned(Array(MIN_SAMPLES - 1).fill(1));
    assert.equal(q.waitMs(), 300);
    q.recordLatency(1);
    assert.equal(q.waitMs(), FLOOR_MS, 'fast replies: the floor');
  });

  it('waits MULTIPLIER x the 90th percentile of the recent latencies, between the floor and the ceiling', () => {
    assert.equal(learned([...Array(MIN_SAMPLES).fill(2), 20]).waitMs(), MULTIPLIER * 20, 'few samples: the largest');
    // One stray hiccup among many: the percentile ignores it.
    assert.equal(learned([...Array(40).fill(10), 500]).waitMs(), MULTIPLIER * 10);
    // Slow replies that are not rare: the percentile follows them.
    assert.equal(learned([...Array(40).fill(10), ...Array(8).fill(50)]).waitMs(), MULTIPLIER * 50);
    assert.equal(learned(Array(MIN_SAMPLES).fill(900)).waitMs(), 1000, 'a very slow server: the ceiling');
    // The ceiling is above the fixed quiet period: a server slower than 300 ms / MULTIPLIER is waited for longer than before.
    assert.ok(learned(Array(MIN_SAMPLES).fill(200)).waitMs() > 300);
  });

  it('forget(): a new run starts from the configured quiet period, with nothing learned or counted', () => {
    const q = learned(Array(MIN_SAMPLES).fill(200));
    q.recordLateArrival(400);
    q.noteWait(q.waitMs());
    assert.notEqual(q.waitMs(), 300);
    q.forget();
    assert.equal(q.waitMs(), 300);
    assert.deepEqual(q.summary(), new QuietWait(settings).summary());
  });

  it('forgets slow samples once WINDOW newer ones came', () => {
    const q = learned([...Array(MIN_SAMPLES).fill(100), 2]);
    assert.equal(q.waitMs(), MULTIPLIER * 100);
    for (let i = 0; i < WINDOW; i++) q.recordLatency(2);
    assert.equal(q.waitMs(), FLOOR_MS);
  });

  it('a burst of slow replies stops counting FRESH_MS later, once enough newer ones came', () => {
    let now = 0;
    const q = new QuietWait(settings, () => now);
    for (let i = 0; i < 40; i++) q.recordLatency(500); // a crowd starting at once
    assert.equal(q.waitMs(), 1000, 'during the burst: the ceiling');
    now += FRESH_MS + 1;
    assert.equal(q.waitMs(), 1000, 'no fresh sample yet: the last ones still count');
    for (let i = 0; i < MIN_SAMPLES - 1; i++) q.recordLatency(2);
    assert.equal(q.waitMs(), 1000, 'too few fresh samples: the last MIN_SAMPLES, slow among them');
    q.recordLatency(2);
    assert.equal(q.waitMs(), FLOOR_MS, 'enough fresh samples: the burst is over');
  });

  it('slow replies that keep coming keep counting', () => {
    let now = 0;
    const q = new QuietWait(settings, () => now);
    for (let i = 0; i < 20; i++) {
      q.recordLatency(i % 5 === 0 ? 100 : 2);
      now += 1000;
    }
    assert.equal(q.waitMs(), MULTIPLIER * 100);
  });

  it('a late arrival lengthens the waits at once to LATE_MARGIN x its lateness, for a window of samples and waits, and is counted', () => {
    const q = learned(Array(WINDOW).fill(1));
    q.recordLateArrival(70);
    assert.equal(q.waitMs(), LATE_MARGIN * 70);
    for (let i = 0; i < WINDOW / 2; i++) q.recordLatency(1);
    assert.equal(q.waitMs(), LATE_MARGIN * 70, 'still covered half a window later');
    for (let i = 0; i < WINDOW / 2 - 1; i++) q.noteWait(q.waitMs());
    assert.equal(q.waitMs(), LATE_MARGIN * 70, 'waits count for the window too');
    q.noteWait(q.waitMs());
    assert.equal(q.waitMs(), FLOOR_MS, 'a window later, the learned wait again');
    const summary = q.summary();
    assert.equal(summary.lateArrivals, 1);
    assert.equal(summary.worstLateMs, 70);
  });

  it('a later, longer late arrival raises the floor; a shorter one within the window keeps it', () => {
    const q = learned(Array(WINDOW).fill(1));
    q.recordLateArrival(40);
    q.recordLateArrival(90);
    assert.equal(q.waitMs(), LATE_MARGIN * 90);
    q.recordLateArrival(30);
    assert.equal(q.waitMs(), LATE_MARGIN * 90);
  });

  it('a late arrival while learning: at least the quiet period, more when it came later than that', () => {
    const q = new QuietWait(settings);
    q.recordLateArrival(50);
    assert.equal(q.waitMs(), 300);
    q.recordLateArrival(400);
    assert.equal(q.waitMs(), 800);
  });

  it('fixed: always the configured period, whatever was learned', () => {
    const q = new QuietWait({ ...settings, adaptive: false });
    for (let i = 0; i < 20; i++) q.recordLatency(1);
    assert.equal(q.waitMs(), 300);
  });

  it('never waits less than a configured quiet period that is below the floor', () => {
    const q = new QuietWait({ quietMs: 5, ceilingMs: 1000, adaptive: true });
    for (let i = 0; i < MIN_SAMPLES; i++) q.recordLatency(0.1);
    assert.equal(q.waitMs(), 5);
  });

  it('paces silent lines about one latency apart, at most the floor', () => {
    assert.equal(learned(Array(MIN_SAMPLES).fill(3)).paceMs(), 3);
    assert.equal(learned(Array(MIN_SAMPLES).fill(500)).paceMs(), FLOOR_MS);
    assert.equal(new QuietWait(settings).paceMs(), FLOOR_MS, 'before learning');
  });

  it('ignores nonsense samples', () => {
    const q = learned(Array(MIN_SAMPLES).fill(2));
    q.recordLatency(-5);
    q.recordLatency(Number.NaN);
    assert.equal(q.summary().samples, MIN_SAMPLES);
  });

  it('a process still learning starts from the latencies another process of the run learned', () => {
    const runner = learned([...Array(20).fill(3), 12]);
    const worker = new QuietWait(settings);
    assert.equal(worker.learning, true);
    assert.equal(worker.waitMs(), 300, 'before: the configured quiet period');
    assert.equal(worker.seedFrom(runner.recentLatencies()), true);
    assert.equal(worker.learning, false);
    assert.equal(worker.waitMs(), runner.waitMs(), 'after: the wait the runner uses');
    assert.equal(worker.summary().seededSamples, 21);
    assert.match(describeQuietWait({ ...worker.summary(), waits: 1, waitedMs: 48 }, 300), /21 samples, the first 21 taken over from the runner/);
    // What it measures itself still counts: a slower server here lengthens the waits as usual.
    for (let i = 0; i < 10; i += 1) worker.recordLatency(40);
    assert.equal(worker.waitMs(), MULTIPLIER * 40);
  });

  it('seedFrom takes nothing once learned, from a process still learning, or nonsense', () => {
    assert.deepEqual(new QuietWait(settings).recentLatencies(), [], 'nothing learned: nothing to hand over');
    assert.deepEqual(learned(Array(MIN_SAMPLES - 1).fill(5)).recentLatencies(), [], 'too few to hand over');
    const own = learned(Array(MIN_SAMPLES).fill(50));
    assert.equal(own.seedFrom(Array(10).fill(1)), false, 'it learned already: its own samples stand');
    assert.equal(own.waitMs(), MULTIPLIER * 50);
    const fresh = new QuietWait(settings);
    assert.equal(fresh.seedFrom(Array(MIN_SAMPLES - 1).fill(1)), false, 'fewer than MIN_SAMPLES: still learning');
    assert.equal(fresh.seedFrom([1, -1, Number.NaN, Number.POSITIVE_INFINITY]), false, 'only one valid sample');
    assert.equal(fresh.waitMs(), 300);
    assert.equal(fresh.summary().seededSamples, 0);
  });

  it('its note says what was learned, how long was spent and whether a late reply was seen', () => {
    const q = learned(Array(MIN_SAMPLES).fill(5));
    q.noteWait(300);
    q.noteWait(30);
    const note = describeQuietWait(q.summary(), 300);
    assert.match(note, /adaptive quiet waits/);
    q.noteWait(0);
    assert.match(note, /2 quiet waits, 0\.3 s in all/);
    assert.match(describeQuietWait(q.summary(), 300), /1 checks needing none/);
    assert.match(note, /no late reply seen/);
    q.recordLateArrival(40);
    assert.match(describeQuietWait(q.summary(), 300), /1 late reply seen \(up to 40 ms/);
    assert.equal(describeQuietWait(new QuietWait(settings).summary(), 300), '', 'no wait: no note');
    const fixed = new QuietWait({ ...settings, adaptive: false });
    fixed.noteWait(300);
    assert.match(describeQuietWait(fixed.summary(), 300), /fixed quiet period of 300 ms/);
  });
});
