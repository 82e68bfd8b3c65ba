/** Types of free-text-ignorer.mjs (plain JS so that Stryker loads it without a TypeScript loader). */
export declare const REASONS: { readonly reason: string; readonly usage: string; readonly close: string };
/** `path` is a Babel NodePath; the reason the mutants under it are ignored, or undefined. */
export declare function shouldIgnore(path: unknown): string | undefined;
export declare const strykerPlugins: unknown[];
