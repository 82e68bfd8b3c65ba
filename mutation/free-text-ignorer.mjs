// @ts-check
/**
 * A Stryker ignorer (stryker.config.mjs `ignorers: ['free-text']`): mutants inside text that the protocol
 * declares free are marked "Ignored", with the reason below, instead of being run. They are equivalent by
 * the protocol's own text, so no conformance scenario may kill them, and counting them as survivors would
 * only hide the survivors that matter. Three shapes, recognised on the syntax tree (not by line, so the
 * error CODE on the same line is still mutated and must still be killed):
 *
 *   fail('NOT_ADMIN', `only an admin of ${ch} can kick`)   the reason (2nd argument) of fail / err /
 *   err('SYNTAX', `usage: ${spec.usage}`)                   new ProtocolError: §2.1 free human text
 *   usage: '/KICK <nick>'                                   a command's usage text: only ever shown
 *                                                           inside a SYNTAX reason (free text)
 *   closeConn(out, conn, 'BYE'), {kind: 'close', reason}    why a connection was closed: written to the
 *                                                           server's log, never to a client
 *
 * Anything else (event and reply words, codes, HELP lines, console answers) is mutated as usual.
 * mutation/survivors.ts lists the ignored mutants by reason, so the list stays visible.
 */
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const REASON_CALLEES = new Set(['fail', 'err', 'ProtocolError']);

export const REASONS = {
  reason: 'free text: the <reason> of an ERR reply is free human text (PROTOCOL.md §2.1)',
  usage: 'free text: a usage string is only shown inside a SYNTAX reason (PROTOCOL.md §2.1)',
  close: 'log only: the reason a connection is closed goes to the server log, never to a client',
};

/** @param {any} node */
const calleeName = (node) => (node.callee?.type === 'Identifier' ? node.callee.name : undefined);

/**
 * @param {any} path a Babel NodePath
 * @returns {string | undefined}
 */
export function shouldIgnore(path) {
  const parent = path.parentPath?.node;
  if (parent === undefined) return undefined;
  if (path.listKey === 'arguments' && (parent.type === 'CallExpression' || parent.type === 'NewExpression')) {
    const callee = calleeName(parent);
    if (path.key === 1 && callee !== undefined && REASON_CALLEES.has(callee)) return REASONS.reason;
    if (path.key === 2 && callee === 'closeConn') return REASONS.close;
  }
  if (path.key === 'value' && parent.type === 'ObjectProperty' && parent.key?.type === 'Identifier' && parent.key.name === 'usage') {
    return REASONS.usage;
  }
  return undefined;
}

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'free-text', { shouldIgnore })];
