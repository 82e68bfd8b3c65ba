/**
 * A formatter that does nothing, for Cucumber's stdout: the runner prints its own summary, and
 * Cucumber's `summary` formatter, written to a stream nobody reads, still kept every result and formatted
 * durations at the end.
 */
const silent = { type: 'formatter' as const, formatter: (): void => undefined };

export default silent;
