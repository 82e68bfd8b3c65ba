/**
 * The architecture, checked (issue #18): no import cycle anywhere in the project's own code, and the
 * harness's layers depend on one another in one direction only, the one harness/README.md draws
 * (target <- wire <- dialect <- session <- ... <- run <- cli). A cycle is how layers silently melt into one: each of the
 * two cycles this test was written against (harness/session/session-api.ts <-> harness/dialect/*, and
 * reference-client/protocol.ts <-> protocol-profile.ts hidden by a dynamic import) made a "low" module
 * know a "high" one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

/** The folders whose modules are checked (tests and fixtures may import anything). */
const SOURCE_FOLDERS = ['harness', 'steps', 'reference-server', 'reference-client', 'common', 'grading', 'bench'];
/**
 * The harness's layers, lowest first: a module may import its own layer and the ones before it, never
 * one after it. `target` (the server under test: spawning, sandbox, restarts) needs none of the others and
 * comes first; `load` and `draft` sit beside the chain (used by `run`/`cli`), `reports` before `console`
 * (the terminal shows what the reports model).
 */
const HARNESS_LAYERS = ['target', 'wire', 'dialect', 'session', 'load', 'draft', 'reports', 'console', 'run', 'cli'];

/** Relative import specifiers of a module: static, type-only, re-exports and dynamic imports alike. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
  for (const match of source.matchAll(pattern)) found.push(match[2]!);
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** module (repository-relative) -> the modules it imports, within the checked folders. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of walk(path.join(PROJECT_ROOT, folder))) {
      const from = path.relative(PROJECT_ROOT, file);
      const targets = importsOf(readFileSync(file, 'utf8')).map((spec) => path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), spec)));
      graph.set(from, targets);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** The harness layer of a module, or undefined outside harness/ (or at its top level). */
function layerOf(module: string): string | undefined {
  const parts = module.split(path.sep);
  return parts[0] === 'harness' && parts.length > 2 ? parts[1] : undefined;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('has no cycle', () => {
    assert.ok(graph.size > 100, `too few modules found (${graph.size}): the walk is broken`);
    assert.deepEqual(cycles(graph).map((cycle) => cycle.join(' -> ')), []);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const broken = new Map(graph);
    broken.set('a.ts', ['b.ts']);
    broken.set('b.ts', ['c.ts']);
    broken.set('c.ts', ['a.ts']);
    assert.deepEqual(cycles(broken).filter((cycle) => cycle.includes('a.ts')), [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    assert.deepEqual(importsOf(`import type { X } from './x.ts';\nexport { y } from "../y.ts";\nconst z = await import('./z.ts');`), ['./x.ts', '../y.ts', './z.ts']);
  });

  it('keeps harness/ in folders: no module at its top level', () => {
    const topLevel = [...graph.keys()].filter((module) => module.startsWith(`harness${path.sep}`) && module.split(path.sep).length === 2);
    assert.deepEqual(topLevel, []);
  });

  it('has harness layers that only import their own layer or lower ones (wire <- dialect <- session <- ... <- cli)', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      const fromLayer = layerOf(from);
      if (fromLayer === undefined) continue;
      assert.ok(HARNESS_LAYERS.includes(fromLayer), `${from}: harness/${fromLayer}/ is not a known layer (add it to HARNESS_LAYERS and harness/README.md)`);
      for (const target of targets) {
        const toLayer = layerOf(target);
        if (toLayer !== undefined && HARNESS_LAYERS.indexOf(toLayer) > HARNESS_LAYERS.indexOf(fromLayer)) upward.push(`${from} -> ${target}`);
      }
    }
    assert.deepEqual(upward, []);
  });
});
