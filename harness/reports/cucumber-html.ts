/**
 * cucumber.html opens on the failures. Cucumber's HTML formatter has no option for it, but its report
 * reads its status filter from the page address (`?hide=passed&hide=skipped`, what its own filter buttons
 * write there). So when the run failed, a small script placed before the report's own one adds that
 * filter to the address unless the address already says what to show: the report opens listing only
 * the failed (and not gradable) scenarios, and its filter buttons bring the others back.
 */
import fs from 'node:fs/promises';

/** The statuses hidden when the report opens on a failed run (Cucumber's status names, lower case). */
export const HIDDEN_ON_FAILURE = ['passed', 'skipped'] as const;

const MARK = '<!-- chat-conformance: opens on failures -->';

export const OPEN_ON_FAILURES_SCRIPT = `${MARK}
<script>
(function () {
  try {
    var search = new URLSearchParams(window.location.search);
    if (search.has('hide') || search.has('query')) return;
    ${JSON.stringify(HIDDEN_ON_FAILURE)}.forEach(function (status) { search.append('hide', status); });
    window.history.replaceState(null, '', window.location.pathname + '?' + search.toString() + window.location.hash);
  } catch (e) {
    // An address that cannot be rewritten: the report opens unfiltered, as Cucumber made it.
  }
})();
</script>`;

/** Insert the open-on-failures script into a cucumber.html (once; the file is rewritten in place). */
export async function openOnFailures(file: string): Promise<void> {
  const html = await fs.readFile(file, 'utf8');
  if (html.includes(MARK)) return;
  const at = html.indexOf('</head>');
  if (at < 0) return; // not the formatter's template: leave it alone
  await fs.writeFile(file, `${html.slice(0, at)}${OPEN_ON_FAILURES_SCRIPT}\n${html.slice(at)}`);
}
