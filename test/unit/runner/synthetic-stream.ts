/**
 * A small, hand-built Cucumber message stream (the shapes Cucumber 12 emits), for the report builders'
 * unit tests: one feature, scenarios whose steps end with the given statuses and attachments.
 */
import type { Envelope } from '@cucumber/messages';

export interface SyntheticScenario {
  name: string;
  tags?: string[];
  /** One entry per step: its status and optional message. */
  steps: Array<{ text: string; status: string; message?: string }>;
  attachments?: Array<{ body: string; mediaType?: string; base64?: boolean; fileName?: string }>;
  durationMs?: number;
}

const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

export function syntheticStream(featureName: string, uri: string, scenarios: SyntheticScenario[]): Envelope[] {
  const out: unknown[] = [];
  const children = scenarios.map((s, i) => ({
    scenario: { id: `sc${i}`, name: s.name, steps: s.steps.map((st, j) => ({ id: `g${i}-${j}`, keyword: j === 0 ? 'Given ' : 'And ', text: st.text })) },
  }));
  out.push({ gherkinDocument: { uri, feature: { name: featureName, children } } });
  scenarios.forEach((s, i) =>
    out.push({
      pickle: {
        id: `p${i}`,
        uri,
        name: s.name,
        location: { line: 3 + i * 5 },
        tags: (s.tags ?? []).map((name) => ({ name, astNodeId: 'x' })),
        steps: s.steps.map((st, j) => ({ id: `ps${i}-${j}`, text: st.text, astNodeIds: [`g${i}-${j}`] })),
        astNodeIds: [`sc${i}`],
        language: 'en',
      },
    }),
  );
  out.push({ hook: { id: 'h1', name: 'target control: ready target', sourceReference: { uri: 'steps/support/hooks.ts', location: { line: 69 } } } });
  scenarios.forEach((s, i) =>
    out.push({ testCase: { id: `tc${i}`, pickleId: `p${i}`, testSteps: [{ id: `ts${i}-h`, hookId: 'h1' }, ...s.steps.map((_, j) => ({ id: `ts${i}-${j}`, pickleStepId: `ps${i}-${j}` }))] } }),
  );
  let clock = 1_000_000;
  out.push({ testRunStarted: { timestamp: ts(clock) } });
  scenarios.forEach((s, i) => {
    const started = clock;
    out.push({ testCaseStarted: { id: `tcs${i}`, testCaseId: `tc${i}`, attempt: 0, timestamp: ts(clock) } });
    out.push({ testStepFinished: { testCaseStartedId: `tcs${i}`, testStepId: `ts${i}-h`, testStepResult: { status: 'PASSED', duration: { seconds: 0, nanos: 0 } }, timestamp: ts(clock) } });
    s.steps.forEach((st, j) =>
      out.push({
        testStepFinished: {
          testCaseStartedId: `tcs${i}`,
          testStepId: `ts${i}-${j}`,
          testStepResult: { status: st.status, duration: { seconds: 0, nanos: 0 }, ...(st.message ? { message: st.message } : {}) },
          timestamp: ts(clock),
        },
      }),
    );
    for (const a of s.attachments ?? []) {
      out.push({
        attachment: {
          testCaseStartedId: `tcs${i}`,
          testStepId: `ts${i}-0`,
          body: a.base64 ? Buffer.from(a.body).toString('base64') : a.body,
          contentEncoding: a.base64 ? 'BASE64' : 'IDENTITY',
          mediaType: a.mediaType ?? 'text/plain',
          ...(a.fileName ? { fileName: a.fileName } : {}),
        },
      });
    }
    clock += s.durationMs ?? 100;
    out.push({ testCaseFinished: { testCaseStartedId: `tcs${i}`, timestamp: ts(clock), willBeRetried: false } });
    void started;
  });
  out.push({ testRunFinished: { success: true, timestamp: ts(clock + 50) } });
  return out as Envelope[];
}
