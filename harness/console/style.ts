/**
 * Colours only when stdout is a TTY that supports them and NO_COLOR is unset. Node 20's styleText does not
 * check the stream itself, so the decision is made once here (tty.WriteStream#hasColors also honours
 * NO_COLOR, FORCE_COLOR and NODE_DISABLE_COLORS; NO_COLOR is checked explicitly as the brief's contract).
 */
import { styleText } from 'node:util';
import type { Outcome } from '../reports/run-model.ts';

export type Style = Parameters<typeof styleText>[0];

export interface Painter {
  readonly enabled: boolean;
  paint(style: Style, text: string): string;
}

export function painterFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Painter {
  const enabled = stream.isTTY === true && !env.NO_COLOR && typeof stream.hasColors === 'function' && stream.hasColors();
  return { enabled, paint: (style, text) => (enabled ? styleText(style, text) : text) };
}

export const OUTCOME_STYLE: Record<Outcome, Style> = {
  passed: 'green',
  failed: 'red',
  skipped: 'gray',
  'not-gradable': 'yellow',
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  'not-gradable': 'not gradable',
};
