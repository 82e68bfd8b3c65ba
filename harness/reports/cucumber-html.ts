/**
 * cucumber.html, made to open on what a student must read. Cucumber's HTML formatter has no option for
 * it, so a small script goes into the page, before the report's own one:
 * - a failed run opens filtered to its failures: the report reads its status filter from the address
 *   (`?hide=passed&hide=skipped`, what its own filter buttons write there), so the script adds that filter
 *   unless the address already says what to show; the filter buttons bring the others back;
 * - the TCP transcript a failed step carries is shown open under the step: the report puts a text/plain
 *   attachment in a closed <details>, and the inline kind (Cucumber's log type) would render the
 *   server's bytes as HTML, which an untrusted server must never get to do.
 */
import fs from 'node:fs/promises';

/** The statuses hidden when the report opens on a failed run (Cucumber's status names, lower case). */
export const HIDDEN_ON_FAILURE = ['passed', 'skipped'] as const;

/** The title of the transcript attachment (steps/support/world.ts attaches it with this file name). */
export const TRANSCRIPT_TITLE = 'TCP transcript';

const MARK = '<!-- chat-conformance: report helpers -->';

export function reportScript(options: { failed: boolean }): string {
  return `${MARK}
<script>
(function () {
  if (${JSON.stringify(options.failed)}) {
    try {
      var search = new URLSearchParams(window.location.search);
      if (!search.has('hide') && !search.has('query')) {
        ${JSON.stringify(HIDDEN_ON_FAILURE)}.forEach(function (status) { search.append('hide', status); });
        window.history.replaceState(null, '', window.location.pathname + '?' + search.toString() + window.location.hash);
      }
    } catch (e) {
      // An address that cannot be rewritten: the report opens unfiltered, as Cucumber made it.
    }
  }
  // Open each transcript once, when the report renders it; the reader may close it again.
  new MutationObserver(function () {
    var all = document.querySelectorAll('details:not([data-seen])');
    for (var i = 0; i < all.length; i++) {
      var summary = all[i].querySelector('summary');
      all[i].setAttribute('data-seen', '');
      if (summary && summary.textContent === ${JSON.stringify(TRANSCRIPT_TITLE)}) all[i].open = true;
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
</script>`;
}

/** Insert the report script into a cucumber.html (once; the file is rewritten in place). */
export async function addReportScript(file: string, options: { failed: boolean }): Promise<void> {
  const html = await fs.readFile(file, 'utf8');
  if (html.includes(MARK)) return;
  const at = html.indexOf('</head>');
  if (at < 0) return; // not the formatter's template: leave it alone
  await fs.writeFile(file, `${html.slice(0, at)}${reportScript(options)}\n${html.slice(at)}`);
}
