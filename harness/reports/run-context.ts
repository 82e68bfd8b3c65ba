/** What the runner knows about a run beyond Cucumber's messages: the target, the options, what it filtered out. */

/** A group of scenarios the runner removed from the selection before Cucumber saw it, and why. */
export interface FilteredGroup {
  /** The tag that excluded them, e.g. "@pristine". */
  tag: string;
  count: number;
  why: string;
}

export interface RunContext {
  /** One line describing the target, e.g. "reference server (embedded) on 127.0.0.1:40123". */
  target: string;
  profile: string;
  /** The user's tag expression, when any. */
  tags?: string;
  parallel: number;
  isolation: string;
  filtered: FilteredGroup[];
  /** Wall time of the whole run as the runner measured it (start-up of the target included), ms. */
  wallMs: number;
  /** Run-level notes to show in every report (e.g. how @pristine scenarios were scheduled). */
  notes: string[];
}
