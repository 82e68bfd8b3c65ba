/** `npm run server -- --verbose`: every line a client sends is logged as it is handled, /OPER's password never. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../../reference-server/index.ts';
import { redactPassword } from '../../../reference-server/net/server.ts';
import { parseCliArgs } from '../../../reference-server/net/cli-args.ts';
import { registered } from './helpers.ts';

test('--verbose (and -v) turns line logging on; without it, off', () => {
  assert.deepEqual(parseCliArgs(['--verbose']), { kind: 'run', options: { logLines: true } });
  assert.deepEqual(parseCliArgs(['-v']), { kind: 'run', options: { logLines: true } });
  assert.deepEqual(parseCliArgs([]), { kind: 'run', options: {} });
});

test('/OPER lines lose their password, other lines are logged as sent', () => {
  assert.equal(redactPassword('/OPER s3cret'), '/OPER (password hidden)');
  assert.equal(redactPassword('  /oper s3cret extra'), '  /oper (password hidden)');
  assert.equal(redactPassword('/JOIN #room'), '/JOIN #room');
  assert.equal(redactPassword('/OPERATOR x'), '/OPERATOR x');
});

test('a verbose server logs each command line with its connection; a quiet one only connects and disconnects', async () => {
  for (const verbose of [true, false]) {
    const logged: string[] = [];
    const server = await startServer({ port: 0, operPassword: 'pw', ...(verbose ? { logLines: true } : {}), log: (m) => logged.push(m) });
    try {
      const alice = await registered(server.port, 'alice');
      await alice.send('/JOIN #room');
      await alice.send('/OPER pw');
      await alice.sync();
      alice.destroy();
    } finally {
      await server.close();
    }
    const lines = logged.filter((m) => / <- /.test(m));
    if (verbose) {
      assert.ok(lines.some((m) => /^conn \d+ <- alice$/.test(m)), logged.join('\n'));
      assert.ok(lines.some((m) => /^conn \d+ <- \/JOIN #room$/.test(m)), logged.join('\n'));
      assert.ok(lines.some((m) => /^conn \d+ <- \/OPER \(password hidden\)$/.test(m)), logged.join('\n'));
      assert.ok(!logged.some((m) => m.includes('pw') && m.includes('OPER')), 'the password never reaches the log');
    } else {
      assert.deepEqual(lines, []);
    }
  }
});
