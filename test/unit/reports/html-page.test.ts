/**
 * cucumber.html made from JSON lines (harness/reports/html-page.ts) is the page Cucumber's own HTML
 * formatter makes from the same envelopes, byte for byte, so the report looks and works the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CucumberHtmlStream } from '@cucumber/html-formatter';
import { AttachmentContentEncoding, type Envelope } from '@cucumber/messages';
import { htmlPage } from '../../../harness/reports/html-page.ts';

async function formatterPage(envelopes: Envelope[]): Promise<string> {
  const stream = new CucumberHtmlStream();
  Readable.from(envelopes).pipe(stream);
  return text(stream);
}

const timestamp = { seconds: 1_700_000_000, nanos: 5 };
const envelopes: Envelope[] = [
  { testRunStarted: { timestamp, id: 'run' } },
  {
    attachment: {
      testCaseStartedId: 'tc',
      // What a transcript may hold: markup that would end the script element, quotes, non-ASCII, "$&".
      body: '</script><script>alert(1)</script> "quoted" é 日本 $& {{messages}}',
      mediaType: 'text/plain',
      contentEncoding: AttachmentContentEncoding.IDENTITY,
    },
  },
  { testRunFinished: { timestamp, success: true, testRunStartedId: 'run' } },
];

test('the page from JSON lines is the formatter page, byte for byte', async () => {
  const expected = await formatterPage(envelopes);
  const actual = htmlPage(envelopes.map((e) => JSON.stringify(e)));
  assert.equal(actual, expected);
  assert.ok(!actual.includes('</script><script>alert'), 'markup inside a message cannot end the script element');
});

test('a page with no messages is the formatter page with none', async () => {
  assert.equal(htmlPage([]), await formatterPage([]));
});
