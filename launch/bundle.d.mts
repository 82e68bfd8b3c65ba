// Types of launch/bundle.mjs for the TypeScript that imports it (the runner, the grader, test/support/fixture-command.ts, tests).
import type { Metafile, Plugin } from 'esbuild';

/** What a bundle is made from, and where its folders and pointer are kept. */
export interface BundleSpec {
  root: string;
  /** Entries, relative to root with '/' separators. */
  files: string[];
  /** Every .ts file under these folders (relative to root) is an entry too. */
  folders: string[];
  cacheDir: string;
}
/** A source file as it was when a bundle was made from it. */
export interface BundleInput {
  file: string;
  size: number;
  mtimeMs: number;
}

export const PROJECT_ROOT: string;
export const BUNDLE_DIR_ENV: string;
export const GRADER_BUNDLE: BundleSpec;
export const LAUNCHABLE: string[];
export function ownImportMeta(keepBundles?: (file: string) => boolean): Plugin;
export function inputsOf(metafile: Metafile, workingDir: string, extra?: string[]): Promise<BundleInput[]>;
export function inputsAreCurrent(inputs: BundleInput[]): boolean;
export function entriesOf(spec: BundleSpec): string[];
export function twinOf(dir: string, entry: string): string;
export function runFrom(bundle: { root: string; dir: string; entries: readonly string[] } | undefined): void;
export function loadable(file: string): string;
export function currentBundle(spec: BundleSpec, entries?: string[]): string | undefined;
export function buildBundle(spec: BundleSpec, entries?: string[]): Promise<string>;
export function freshBundle(spec: BundleSpec): Promise<{ dir: string; entries: string[] }>;
