/**
 * The fixture submissions run the project's reference server, so their sandboxes must show it (read-only):
 * its sources, node_modules and package.json, and nothing else of the project (not the other fixtures).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root.ts';

export const FIXTURE_SANDBOX_ALLOW = ['reference-server', 'common', 'node_modules', 'package.json'].flatMap((p) => ['--sandbox-allow', path.join(PROJECT_ROOT, p)]);
