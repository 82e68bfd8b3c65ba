/**
 * The real client process, driven through piped stdin (its non-interactive mode), against a server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ClientProcess } from './client-process.ts';
import { startChatServer, type ChatServer } from './chat-server.ts';

let server: ChatServer;
let workDir: string;
const clients: ClientProcess[] = [];

function client(args: readonly string[], cwd?: string): ClientProcess {
  const c = new ClientProcess(['--host', '127.0.0.1', '--port', String(server.port), ...args], cwd ? { cwd } : {});
  clients.push(c);
  return c;
}

before(async () => {
  server = await startChatServer();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'chat-client-test-'));
});

after(async () => {
  for (const c of clients) c.kill();
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

// Without --profile the client reads profiles/canonical.json, as `--profile canonical` does.
describe('two clients through piped stdin', () => {
  // Its own server: its nicks never meet those of the other suites.
  let shared: ChatServer;
  before(async () => {
    shared = server;
    server = await startChatServer();
  });
  after(async () => {
    await server.close();
    server = shared;
  });

  test('chat in a channel, private message, WHO with the owner mark, clean exit 0', async () => {
    const alice = client(['--nick', 'alice']);
    // The profile named: the same dialect as the default.
    const bob = client(['--profile', 'canonical', '--nick', 'bob']);
    alice.line('/JOIN #room');
    await alice.waitFor(/\[#room\] joined; you created it/);
    bob.line('/JOIN #room');
    await bob.waitFor(/\[#room\] joined\n/);
    await alice.waitFor(/\[#room\] \* bob joined/);

    bob.line('hello   alice, spaces kept');
    await alice.waitFor(/\[#room\] <bob> hello {3}alice, spaces kept/);
    alice.line('/MSG bob a secret');
    await bob.waitFor(/\[private\] <alice> a secret/);
    await alice.waitFor(/\[private\] to bob: a secret/);

    bob.line('/WHO');
    await bob.waitFor(/\[#room\] members: ~alice bob /);

    bob.line('/BYE');
    assert.deepEqual(await bob.exit(), { code: 0, signal: null });
    await alice.waitFor(/\* bob quit/);
    alice.end();
    assert.deepEqual(await alice.exit(), { code: 0, signal: null });
    assert.equal(alice.stderr, '');
    // A plain message is never echoed back (§5.6): bob's screen has no "<bob>" line.
    assert.doesNotMatch(bob.stdout, /<bob>/);
  });

  test('a file goes from /SEND to /RECV byte for byte, and an existing file is not overwritten without --force', async () => {
    const content = randomBytes(200_000); // several /DATA and FILEDATA chunks, bytes of every value
    const source = path.join(workDir, 'photo.bin');
    await writeFile(source, content);
    const inbox = await mkdtemp(path.join(workDir, 'inbox-'));
    await writeFile(path.join(inbox, 'taken.bin'), 'keep me');

    const carol = client(['--nick', 'carol']);
    const dave = client(['--nick', 'dave'], inbox);
    carol.line('/JOIN #files');
    await carol.waitFor(/joined; you created it/);
    dave.line('/JOIN #files');
    await carol.waitFor(/\* dave joined/);

    carol.line(`/SEND dave ${source}`);
    await carol.waitFor(/sent photo\.bin \(200000 bytes\) to dave/);
    await dave.waitFor(/\* carol sent you a file: photo\.bin \(200000 bytes\)/);

    // Refused locally BEFORE asking the server, so the file is still waiting afterwards.
    dave.line('/RECV photo.bin taken.bin');
    await dave.waitFor(/error RECV: .*taken\.bin already exists; give another path or add --force/);
    assert.equal(await readFile(path.join(inbox, 'taken.bin'), 'utf8'), 'keep me');

    dave.line('/RECV photo.bin');
    await dave.waitFor(/saved photo\.bin \(200000 bytes from carol\) to /);
    assert.ok((await readFile(path.join(inbox, 'photo.bin'))).equals(content), 'received bytes differ from the sent ones');

    // The same name again: nothing waits any more.
    dave.line('/RECV photo.bin again.bin');
    await dave.waitFor(/error RECV: receive refused: NO_SUCH_FILE/);

    // --force overwrites.
    carol.line(`/SEND dave ${source}`);
    await dave.waitFor(/sent you a file: photo\.bin[^\n]*\n(?:.*\n)*.*sent you a file: photo\.bin/);
    dave.line('/RECV photo.bin taken.bin --force');
    await dave.waitFor(/saved photo\.bin \(200000 bytes from carol\) to .*taken\.bin/);
    assert.ok((await readFile(path.join(inbox, 'taken.bin'))).equals(content));

    carol.end();
    dave.end();
    assert.equal((await carol.exit()).code, 0);
    assert.equal((await dave.exit()).code, 0);
  });

  test('lines wait for their replies in order, and events that reached the server before the script ended are printed', async () => {
    const erin = client(['--nick', 'erin']);
    erin.line('/JOIN #late');
    await erin.waitFor(/joined; you created it/);
    // frank's whole script is written before it even connects: each line waits for the previous reply.
    const frank = client([]);
    frank.line('frank');
    frank.line('/JOIN #late');
    frank.line('hi from a script');
    await erin.waitFor(/\[#late\] <frank> hi from a script/);
    // The server's greeting first, then the script: a script never races the HELLO.
    assert.match(frank.stdout, /^connected to [^\n]*\n> frank\nwelcome, frank/);

    // erin speaks; her PONG proves the server has queued the MSG for frank (§2.1). Only then does
    // frank's script end: frank must still print the message before exiting.
    erin.line('late news');
    erin.line('/PING sent');
    await erin.waitFor(/pong sent/);
    frank.end();
    assert.equal((await frank.exit()).code, 0);
    assert.match(frank.stdout, /\[#late\] <erin> late news/);
    erin.end();
    assert.equal((await erin.exit()).code, 0);
  });
});

describe('/HELP and /RECONNECT', () => {
  test('/HELP prints one help in titled sections, each command once, without asking the server', async () => {
    const olga = client(['--nick', 'olga']);
    olga.line('/HELP');
    olga.end();
    assert.equal((await olga.exit()).code, 0, olga.stderr);
    const help = olga.stdout.slice(olga.stdout.indexOf('> /HELP\n'));
    for (const title of ['Commands sent to the server', 'Client commands:', 'Keys:']) {
      assert.equal(help.split(title).length - 1, 1, `"${title}" once:\n${help}`);
    }
    for (const usage of ['/JOIN <channel>', '/WHO', '/SEND <nick> <path>', '/RECONNECT', '/BYE']) {
      assert.equal(help.split(new RegExp(`^ *${usage.replace(/[[\]<>/]/g, '\\$&')} `, 'm')).length - 1, 1, `${usage} listed once:\n${help}`);
    }
    // The reference server's own help (its "this help" line) is not printed after the client's.
    assert.doesNotMatch(help, /^\/HELP {5,}this help$/m);
  });

  test('/RECONNECT in a script: a new connection, the same nick, the current channel joined again', async () => {
    const pia = client(['--nick', 'pia']);
    const quin = client(['--nick', 'quin']);
    pia.line('/JOIN #again');
    await pia.waitFor(/\[#again\] joined; you created it/);
    quin.line('/JOIN #again');
    await pia.waitFor(/\* quin joined/);
    pia.line('/RECONNECT');
    await pia.waitFor(new RegExp(`reconnected to 127\\.0\\.0\\.1:${server.port} as pia, back in #again\n`));
    // The old connection said goodbye (the nick was freed), the new one joined the channel again.
    await quin.waitFor(/\* pia quit\n(?:.*\n)*\[#again\] \* pia joined/);
    pia.line('after the reconnection');
    await quin.waitFor(/\[#again\] <pia> after the reconnection/);
    pia.line('/WHO');
    await pia.waitFor(/\[#again\] members: ~quin pia /);
    pia.end();
    quin.end();
    assert.equal((await pia.exit()).code, 0, pia.stderr);
    assert.equal((await quin.exit()).code, 0, quin.stderr);
  });

  test('/RECONNECT to a server that is gone: the reason on stderr and exit code 3', async () => {
    // A server that welcomes one connection, then stops listening (its connection answers /BYE).
    const once = net.createServer((socket) => {
      once.close();
      socket.setEncoding('utf8').on('data', (text: string) => {
        for (const line of text.split('\n').filter((l) => l !== '')) {
          if (line === '/BYE') socket.end('OK BYE\n');
          else if (line.startsWith('/PING')) socket.write('PONG\n');
          else socket.write(`OK WELCOME ${line}\n`);
        }
      });
      socket.write('HELLO once 1\n');
    });
    await new Promise<void>((resolve) => once.listen(0, '127.0.0.1', resolve));
    const port = (once.address() as net.AddressInfo).port;
    const rita = new ClientProcess(['--port', String(port), '--nick', 'rita']);
    clients.push(rita);
    rita.line('/RECONNECT');
    rita.end();
    assert.equal((await rita.exit()).code, 3);
    assert.match(rita.stderr, new RegExp(`cannot reconnect: cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });
});

describe('--script FILE', () => {
  test('runs the file; under `npm run client` relative paths are those of the directory npm was started in', async () => {
    const userDir = await mkdtemp(path.join(workDir, 'user-'));
    await writeFile(path.join(userDir, 'notes.txt'), 'line one\n');
    await writeFile(path.join(userDir, 'talk.chat'), ['iris', '/JOIN #script', '/SEND iris notes.txt', '/RECV notes.txt copy.txt', '/WHO', ''].join('\n'));
    // Started from the repository (as npm does), with npm's record of where the user typed the command.
    const iris = new ClientProcess(['--port', String(server.port), '--script', 'talk.chat'], {
      env: { npm_lifecycle_event: 'client', INIT_CWD: userDir },
    });
    clients.push(iris);
    iris.end();
    assert.equal((await iris.exit()).code, 0, iris.stderr);
    assert.match(iris.stdout, /> \/SEND iris notes\.txt\n(?:.*\n)?sent notes\.txt \(9 bytes\) to iris/);
    assert.match(iris.stdout, /\[#script\] members: ~iris /);
    assert.equal(await readFile(path.join(userDir, 'copy.txt'), 'utf8'), 'line one\n');
  });
});

describe('failures and exit codes', () => {
  test('a refused nick ends a script with exit code 5', async () => {
    const holder = client(['--nick', 'gina']);
    holder.line('/PING ready');
    await holder.waitFor(/pong ready/);
    const second = client(['--nick', 'gina']);
    second.end();
    const exited = await second.exit();
    assert.equal(exited.code, 5);
    assert.match(second.stdout, /error NICK_IN_USE/);
    assert.match(second.stderr, /refused the nick "gina"/);
    holder.end();
    assert.equal((await holder.exit()).code, 0);
  });

  test('an unreachable server: a message on stderr and exit code 3', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const lonely = new ClientProcess(['--port', String(port), '--nick', 'x']);
    clients.push(lonely);
    lonely.end();
    assert.equal((await lonely.exit()).code, 3);
    assert.match(lonely.stderr, new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  test('Ctrl-C (SIGINT) in a script: a clean goodbye and exit code 0', async () => {
    const kate = client(['--nick', 'kate']);
    const liam = client(['--nick', 'liam']);
    kate.line('/JOIN #sig');
    await kate.waitFor(/joined; you created it/);
    liam.line('/JOIN #sig');
    await kate.waitFor(/\* liam joined/);
    liam.signal('SIGINT');
    assert.deepEqual(await liam.exit(), { code: 0, signal: null });
    await kate.waitFor(/\* liam quit/);
    kate.end();
    assert.equal((await kate.exit()).code, 0);
  });

  test('being killed: the event is shown, then a message on stderr and exit code 4', async () => {
    const jack = client(['--nick', 'jack']);
    jack.line('/PING up');
    await jack.waitFor(/pong up/);
    server.consoleLine('KILL jack');
    assert.equal((await jack.exit()).code, 4);
    assert.match(jack.stdout, /\* you were disconnected by the server/);
    assert.match(jack.stderr, /disconnected by the server \(killed\)/);
  });

  test('an unknown profile: a message on stderr and exit code 2', async () => {
    const odd = client(['--profile', 'no-such-profile', '--nick', 'x']);
    odd.end();
    assert.equal((await odd.exit()).code, 2);
    assert.match(odd.stderr, /no-such-profile/);
  });

  test('bad options: usage on stderr and exit code 2', async () => {
    const wrong = new ClientProcess(['--port', 'seventy']);
    clients.push(wrong);
    wrong.end();
    assert.equal((await wrong.exit()).code, 2);
    assert.match(wrong.stderr, /--port must be an integer/);
  });
});

describe('the server closing the connection', () => {
  test('gives a message on stderr and exit code 4', async () => {
    const own = await startChatServer();
    try {
      const hank = new ClientProcess(['--port', String(own.port), '--nick', 'hank']);
      clients.push(hank);
      hank.line('/PING up');
      await hank.waitFor(/pong up/);
      await own.close();
      const exited = await hank.exit();
      assert.equal(exited.code, 4);
      assert.match(hank.stderr, /the server closed the connection/);
    } finally {
      await own.close();
    }
  });
});
