/**
 * The class reports, built only from per-submission grade.json files (so a batch, a shard and a merge of
 * shards all produce the same thing): class.csv, one row per submission (total and per category), and
 * class.html, a submissions x scenarios matrix (pass / fail / not gradable / filtered / not run) where a
 * click on a cell shows the failure and its transcript, like the dashboards that compare protocol
 * implementations side by side.
 */
import type { Grade, GradeStatus } from './score.ts';
import { pts } from './outputs/format.ts';
import { csvField } from './outputs/safe-text.ts';

/** Category ids in rubric order, across every grade (shards of one class share a rubric). */
function categoryColumns(grades: readonly Grade[]): Array<{ id: string; title: string }> {
  const seen = new Map<string, string>();
  for (const g of grades) for (const c of g.categories) if (!seen.has(c.id)) seen.set(c.id, c.title);
  return [...seen].map(([id, title]) => ({ id, title }));
}

export function sortGrades(grades: readonly Grade[]): Grade[] {
  return [...grades].sort((a, b) => (a.submission ?? '').localeCompare(b.submission ?? '', 'en'));
}

export function buildClassCsv(grades: readonly Grade[]): string {
  const categories = categoryColumns(grades);
  const header = ['submission', 'state', 'total', 'max', 'rubric_points', 'to_grade_by_hand', 'cut_scenarios', 'cut_points', ...categories.map((c) => c.id), 'passed', 'failed', 'not_gradable', 'filtered', 'not_run', 'flaky', 'manifest', 'declared_missing', 'wall_s', 'by_hand_rules', 'notes'];
  const rows = sortGrades(grades).map((g) => {
    const byId = new Map(g.categories.map((c) => [c.id, c]));
    return [
      g.submission ?? '',
      g.state,
      g.total,
      g.max,
      g.rubricPoints,
      g.toGradeByHand?.points ?? 0,
      g.cut?.scenarios ?? 0,
      g.cut?.points ?? 0,
      ...categories.map((c) => {
        const cat = byId.get(c.id);
        return cat === undefined || !cat.graded ? '' : cat.score;
      }),
      g.counts.passed,
      g.counts.failed,
      g.counts['not-gradable'],
      g.counts.filtered,
      g.counts['not-run'],
      // --repeat: scenarios that passed in some runs and failed in others (counted as the rubric says).
      g.scenarios.filter((s) => s.flaky !== undefined).length,
      // chat-conformance.json: the optional features the submission says it implements ('' without one).
      g.manifest ? g.manifest.implements.join(';') || 'none' : '',
      // Failed scenarios of optional features the manifest declares not implemented (no bug to fix).
      g.scenarios.filter((s) => s.status === 'failed' && s.optional?.declared === 'not-implemented').length,
      (g.wallMs / 1000).toFixed(1),
      (g.toGradeByHand?.rules ?? []).map((r) => `${r.rule} (${pts(r.points)})`).join(' | '),
      g.notes.join(' | '),
    ].map(csvField);
  });
  return `${[header.map(csvField), ...rows].map((r) => r.join(',')).join('\n')}\n`;
}

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CELL: Record<GradeStatus, { letter: string; symbol: string }> = {
  passed: { letter: 'p', symbol: '✓' },
  failed: { letter: 'f', symbol: '✗' },
  'not-gradable': { letter: 'n', symbol: '?' },
  filtered: { letter: 'x', symbol: '–' },
  'not-run': { letter: 'r', symbol: '·' },
  cut: { letter: 'c', symbol: '✂' },
};

interface MatrixColumn {
  key: string;
  name: string;
  feature: string;
  category: string;
}

/**
 * Every scenario any submission was graded on, grouped by category in rubric order (a category's columns
 * side by side), in feature order within a category.
 */
function matrixColumns(grades: readonly Grade[]): MatrixColumn[] {
  const columns = new Map<string, MatrixColumn>();
  const richest = [...grades].sort((a, b) => b.scenarios.length - a.scenarios.length);
  for (const g of richest) for (const s of g.scenarios) if (!columns.has(s.key)) columns.set(s.key, { key: s.key, name: s.name, feature: s.feature, category: s.category });
  const order = new Map(categoryColumns(grades).map((c, i) => [c.id, i]));
  const rank = (c: MatrixColumn): number => order.get(c.category) ?? order.size;
  return [...columns.values()].sort((a, b) => rank(a) - rank(b)); // stable: feature order within a category
}

/** A short column id a header can show whole: the feature file's name and the line, "kick:40" (the full name on hover). */
export function shortId(key: string): string {
  const m = /([^/]+?)(?:\.feature)?:(\d+|\?)$/.exec(key);
  return m ? `${m[1]}:${m[2]}` : key;
}

const SCRIPT = `
const data = JSON.parse(document.getElementById('details').textContent);
// The failing-only view hides the columns every submission passed; category headers span what is shown.
const failingOnly = document.getElementById('failing-only');
function applyView() {
  document.body.classList.toggle('failing-only', failingOnly.checked);
  for (const th of document.querySelectorAll('th[data-all]')) {
    const span = Number(failingOnly.checked ? th.dataset.failing : th.dataset.all);
    th.colSpan = Math.max(1, span);
    th.hidden = span === 0;
  }
}
failingOnly.addEventListener('change', applyView);
applyView();
const panel = document.getElementById('panel');
document.getElementById('matrix').addEventListener('click', (e) => {
  const td = e.target.closest('td[data-d]');
  if (!td) return;
  const d = data[Number(td.dataset.d)];
  panel.replaceChildren();
  const h = document.createElement('h2'); h.textContent = d.title; panel.append(h);
  if (d.report) { const a = document.createElement('a'); a.href = d.report; a.textContent = 'full report (grade.md)'; panel.append(a); }
  for (const [label, text] of d.parts) {
    if (!text) continue;
    const p = document.createElement('p'); const b = document.createElement('b'); b.textContent = label; p.append(b);
    const pre = document.createElement('pre'); pre.textContent = text; panel.append(p, pre);
  }
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
});`;

const STYLE = `
body { font: 13px system-ui, sans-serif; margin: 1em; }
table.m { border-collapse: collapse; }
table.m th, table.m td { border: 1px solid #ccc; padding: 1px 3px; text-align: center; }
table.m th.s { text-align: left; white-space: nowrap; position: sticky; left: 0; background: #fff; }
table.m thead th.c { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; white-space: nowrap; font-family: ui-monospace, monospace; cursor: help; }
body.failing-only .ok { display: none; }
.view { margin: .5em 0; }
td.p { background: #d7f5d7; } td.f { background: #f8c9c9; cursor: pointer; } td.n { background: #fbeebb; cursor: pointer; }
td.x { background: #e4e4e4; cursor: pointer; } td.d { background: #e8e0f0; cursor: pointer; } td.r { background: #f4f4f4; color: #888; cursor: pointer; }
td.c { background: #e8e0f4; cursor: pointer; }
#panel { position: sticky; bottom: 0; background: #fffdf5; border: 1px solid #999; padding: .5em 1em; max-height: 45vh; overflow: auto; }
pre { white-space: pre-wrap; margin: .2em 0 .8em; }
.legend span { display: inline-block; padding: 0 .5em; margin-right: .5em; border: 1px solid #ccc; }`;

/** Total characters of failure details a class page may embed; each detail gets its share (bounded). */
const DETAILS_BUDGET_CHARS = 20_000_000;

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

/**
 * `reportOf(submission)`: a link (relative to the page) to the submission's full grade.md, when known.
 * Details are clipped so a class of hundreds stays a page a browser opens: the full text is in grade.md.
 */
export function buildClassHtml(grades: readonly Grade[], title = 'Class grades', reportOf: (submission: string) => string | undefined = () => undefined): string {
  const sorted = sortGrades(grades);
  const failures = sorted.reduce((n, g) => n + g.scenarios.filter((s) => s.status !== 'passed').length, 0);
  const perDetail = Math.max(400, Math.min(6000, Math.floor(DETAILS_BUDGET_CHARS / Math.max(1, failures))));
  const columns = matrixColumns(sorted);
  const categories = categoryColumns(sorted);
  const details: Array<{ title: string; report?: string; parts: Array<[string, string]> }> = [];

  const summary = [
    '<table class="m"><thead><tr><th class="s">submission</th><th>state</th><th>total</th>',
    ...categories.map((c) => `<th title="${esc(c.title)}">${esc(c.id)}</th>`),
    '</tr></thead><tbody>',
    ...sorted.map((g) => {
      const byId = new Map(g.categories.map((c) => [c.id, c]));
      const cells = categories.map((c) => {
        const cat = byId.get(c.id);
        return `<td>${cat && cat.graded ? `${pts(cat.score)}/${pts(cat.max)}` : '–'}</td>`;
      });
      return `<tr><th class="s">${esc(g.submission ?? '?')}</th><td>${esc(g.state)}</td><td><b>${pts(g.total)}</b>/${pts(g.max)}${g.toGradeByHand?.points ? ` <small>+${pts(g.toGradeByHand.points)} by hand</small>` : ''}${g.cut?.scenarios ? ` <small>${g.cut.scenarios} cut</small>` : ''}</td>${cells.join('')}</tr>`;
    }),
    '</tbody></table>',
  ];

  // A column every submission passed is hidden in the failing-only view (class "ok").
  const passedFor = (g: Grade, key: string): boolean => {
    const s = g.scenarios.find((x) => x.key === key);
    return s === undefined || (s.status === 'passed' && !s.flaky);
  };
  const allPassed = new Set(columns.filter((c) => sorted.every((g) => passedFor(g, c.key))).map((c) => c.key));
  const okClass = (key: string): string => (allPassed.has(key) ? ' ok' : '');
  // Header: one row of category spans (their width in each view), one row of short scenario ids.
  const spans: Array<{ category: string; count: number; failing: number }> = [];
  for (const c of columns) {
    const last = spans[spans.length - 1];
    const failing = allPassed.has(c.key) ? 0 : 1;
    if (last && last.category === c.category) {
      last.count += 1;
      last.failing += failing;
    } else spans.push({ category: c.category, count: 1, failing });
  }
  const titles = new Map(categories.map((c) => [c.id, c.title]));
  const matrix = [
    '<table class="m" id="matrix"><thead>',
    `<tr><th class="s"></th>${spans.map((s) => `<th colspan="${s.count}" data-all="${s.count}" data-failing="${s.failing}" title="${esc(titles.get(s.category) ?? s.category)}">${esc(s.category)}</th>`).join('')}</tr>`,
    `<tr><th class="s">submission</th>${columns.map((c) => `<th class="c${okClass(c.key)}" title="${esc(`${c.feature} › ${c.name} (${c.key})`)}">${esc(shortId(c.key))}</th>`).join('')}</tr>`,
    '</thead><tbody>',
  ];
  for (const g of sorted) {
    const byKey = new Map(g.scenarios.map((s) => [s.key, s]));
    const cells = columns.map((c) => {
      const s = byKey.get(c.key);
      if (!s) return `<td class="${okClass(c.key).trim()}"></td>`;
      const { letter, symbol } = CELL[s.status];
      if (s.status === 'passed' && !s.flaky) return `<td class="p${okClass(c.key)}" title="passed">${symbol}</td>`;
      const report = reportOf(g.submission ?? '');
      details.push({
        title: `${g.submission ?? '?'}: ${s.feature} › ${s.name} (${s.status})`,
        ...(report ? { report } : {}),
        parts: [
          ['Rule', `${s.rule ?? s.name}${s.sections ? ` (PROTOCOL.md ${s.sections})` : ''}`],
          ['Scenario', s.key],
          ['Why', s.reason ?? ''],
          ['Manifest', s.optional ? `${s.optional.title}: ${s.optional.declared === 'implemented' ? 'claimed in chat-conformance.json' : 'declared not implemented in chat-conformance.json'}` : ''],
          ['Failed at', s.failingStep ?? ''],
          ['Message', clip(s.message ?? '', Math.floor(perDetail / 3))],
          ['Transcript (end)', clip(s.transcript ?? '', perDetail)],
          ['Flaky', s.flaky ? clip(`${s.flaky.runs.join(', ')}: counted as ${s.flaky.counted}\n${s.flaky.comparison}`, perDetail) : ''],
          ['Against the reference server (--diff)', clip(s.reference?.comparison ?? '', perDetail)],
        ],
      });
      const declaredMissing = s.status === 'failed' && s.optional?.declared === 'not-implemented';
      const title = declaredMissing ? 'not implemented (declared in chat-conformance.json)' : s.flaky ? `${s.status} (flaky)` : s.optional?.declared === 'implemented' && s.status === 'failed' ? 'failed: claimed in chat-conformance.json but broken' : s.status;
      return `<td class="${declaredMissing ? 'd' : letter}${okClass(c.key)}" data-d="${details.length - 1}" title="${esc(title)}">${declaredMissing ? '∅' : s.flaky ? '~' : symbol}</td>`;
    });
    matrix.push(`<tr><th class="s">${esc(g.submission ?? '?')} <small>${pts(g.total)}/${pts(g.max)}</small></th>${cells.join('')}</tr>`);
  }
  matrix.push('</tbody></table>');

  const legend = (Object.keys(CELL) as GradeStatus[]).map((s) => `<span class="${CELL[s].letter}">${CELL[s].symbol} ${esc(s)}</span>`).join('');
  const json = JSON.stringify(details).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p>${sorted.length} submission(s); rubric: ${esc(sorted[0]?.rubric.title ?? '?')}. Click a coloured cell for the failure and its TCP transcript.</p>
${summary.join('\n')}
<h2>Scenarios</h2>
<p class="legend">${legend}<span class="d">∅ not implemented, declared (chat-conformance.json)</span><span>~ flaky (--repeat)</span><span>not gradable and filtered out: to grade by hand; cut: the budget ran out, not graded</span></p>
<p class="view"><label><input type="checkbox" id="failing-only"${allPassed.size < columns.length ? ' checked' : ''}> only the scenarios some submission did not pass</label> (${columns.length - allPassed.size} of ${columns.length}; hover a column id for the scenario's name)</p>
${matrix.join('\n')}
<div id="panel" hidden></div>
<script type="application/json" id="details">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
