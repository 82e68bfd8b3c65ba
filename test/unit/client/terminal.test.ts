/**
 * The interactive client in a real pseudo-terminal (tmux): the prompt and the half-typed line are
 * redrawn below an event that arrives while typing; Tab completes command words and nicks; Ctrl-C
 * quits with exit code 0.
 *
 * Needs tmux. Without it these tests are SKIPPED with the reason shown (never counted as passing).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { CLI_PATH, TSX_LOADER } from './client-process.ts';
import { startChatServer, type ChatServer } from './chat-server.ts';

function tmuxVersion(): string | undefined {
  try {
    return execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

const version = tmuxVersion();
const skip = version === undefined ? 'tmux is not installed (apt-get install tmux): pseudo-terminal tests not run' : false;

const socketName = `chat-client-test-${process.pid}-${Date.now()}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
const screenOf = (session: string): string => tmux('capture-pane', '-p', '-t', session);
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Polls the tmux screen (of `session`, 'chat' by default) until `pattern` matches (bounded), returning the screen. */
async function screenMatching(pattern: RegExp, timeoutMs = 45_000, session = 'chat'): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screenOf(session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/** A bare protocol user on a raw socket: the "other terminal". */
class RawUser {
  received = '';
  private readonly socket: net.Socket;
  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.setEncoding('utf8').on('data', (text: string) => (this.received += text));
    this.socket.on('error', () => {});
  }
  send(line: string): void {
    this.socket.write(`${line}\n`);
  }
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.received)) {
      if (Date.now() > deadline) throw new Error(`raw user never received ${pattern}:\n${this.received}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

describe(`interactive client in a pseudo-terminal (${version ?? 'no tmux'})`, () => {
  let server: ChatServer; // started only when tmux is there
  let yann: RawUser | undefined;
  let holder: RawUser | undefined;
  let socketPath: string | undefined;

  before(async () => {
    if (skip) return;
    server = await startChatServer();
    const command = [
      'env',
      'NO_COLOR=1',
      quote(process.execPath),
      '--import',
      quote(TSX_LOADER),
      quote(CLI_PATH),
      '--port',
      String(server.port),
    ].join(' ');
    // Someone already holds the nick the user will try first.
    holder = new RawUser(server.port);
    holder.send('taken');
    await holder.waitFor(/OK WELCOME taken\n/);
    // The pane outlives the client, so its exit code can be read from the screen.
    tmux('new-session', '-d', '-s', 'chat', '-x', '100', '-y', '30', `${command}; echo "EXIT=$?"; sleep 120`);
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  });

  after(async () => {
    if (skip) return;
    yann?.close();
    holder?.close();
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind.
    if (socketPath) await rm(socketPath, { force: true });
    await server.close();
  });

  test('without --nick the client asks for one, and asks again when the server refuses it', { skip }, async () => {
    await screenMatching(/^nick:\s*$/m);
    tmux('send-keys', '-t', 'chat', '-l', 'taken');
    tmux('send-keys', '-t', 'chat', 'Enter');
    await screenMatching(/error NICK_IN_USE[^\n]*\nnick:\s*$/);
    tmux('send-keys', '-t', 'chat', '-l', 'zed');
    tmux('send-keys', '-t', 'chat', 'Enter');
    await screenMatching(/welcome, zed/);
  });

  test('an event arriving while typing is printed above; the prompt and the typed text are redrawn intact', { skip }, async () => {
    await screenMatching(/zed \(lobby\)>\s*$/m);
    tmux('send-keys', '-t', 'chat', '-l', '/JOIN #tty');
    tmux('send-keys', '-t', 'chat', 'Enter');
    await screenMatching(/zed #tty>\s*$/m);

    tmux('send-keys', '-t', 'chat', '-l', 'half typed');
    await screenMatching(/zed #tty> half typed$/m);

    yann = new RawUser(server.port);
    yann.send('yann');
    yann.send('/JOIN #tty');
    yann.send('hello zed');
    const shown = await screenMatching(/\[#tty\] <yann> hello zed\n(?:.*\n)*zed #tty> half typed\s*$/);
    assert.equal(lastLine(shown), 'zed #tty> half typed');
    assert.equal(shown.split('half typed').length - 1, 1, `the half-typed text should appear once, on the prompt:\n${shown}`);

    // The line editor still holds the whole line: finishing it sends it entirely.
    tmux('send-keys', '-t', 'chat', '-l', ' and done');
    tmux('send-keys', '-t', 'chat', 'Enter');
    await yann.waitFor(/MSG #tty zed half typed and done\n/);
  });

  test('Tab completes command words and known nicks', { skip }, async () => {
    await screenMatching(/zed #tty>\s*$/m);
    tmux('send-keys', '-t', 'chat', '-l', '/wh');
    tmux('send-keys', '-t', 'chat', 'Tab');
    await screenMatching(/zed #tty> \/WHO\s*$/m);
    tmux('send-keys', '-t', 'chat', 'Enter');
    await screenMatching(/\[#tty\] members: ~zed yann/);

    tmux('send-keys', '-t', 'chat', '-l', '/MSG ya');
    tmux('send-keys', '-t', 'chat', 'Tab');
    await screenMatching(/zed #tty> \/MSG yann\s*$/m);
    tmux('send-keys', '-t', 'chat', '-l', 'psst');
    tmux('send-keys', '-t', 'chat', 'Enter');
    await yann!.waitFor(/PRIV zed psst\n/);
  });

  test('with colour (no NO_COLOR), errors stand out in red; with NO_COLOR, no escape sequence at all', { skip }, async () => {
    const command = ['env', '-u', 'NO_COLOR', 'TERM=xterm-256color', quote(process.execPath), '--import', quote(TSX_LOADER), quote(CLI_PATH), '--port', String(server.port), '--nick', 'hue'].join(' ');
    tmux('new-session', '-d', '-s', 'colour', '-x', '100', '-y', '10', `${command}; sleep 120`);
    const coloured = async (pattern: RegExp): Promise<string> => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const text = tmux('capture-pane', '-e', '-p', '-t', 'colour');
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`colour screen never matched ${pattern}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await coloured(/hue \(lobby\)>/);
    tmux('send-keys', '-t', 'colour', '-l', '/NOPE');
    tmux('send-keys', '-t', 'colour', 'Enter');
    // tmux reports the red foreground as SGR 31 (possibly combined with other attributes).
    await coloured(/\u001b\[(?:[0-9;]*;)?31m[^\n]*error UNKNOWN_COMMAND/);

    const plain = tmux('capture-pane', '-e', '-p', '-t', 'chat');
    assert.doesNotMatch(plain, /\u001b\[[0-9;]*m/, 'the NO_COLOR session shows no colour');
  });

  test('Ctrl-C says goodbye and exits with code 0', { skip }, async () => {
    await screenMatching(/zed #tty>\s*$/m);
    tmux('send-keys', '-t', 'chat', 'C-c');
    await screenMatching(/EXIT=0/);
    await yann!.waitFor(/QUIT zed\n/);
  });
});

describe(`/RECONNECT in the interactive client, the reference server stopped and started again (${version ?? 'no tmux'})`, () => {
  let server: ChatServer | undefined;
  let port = 0;
  const users: RawUser[] = [];
  const type = (text: string): void => {
    tmux('send-keys', '-t', 'recon', '-l', text);
    tmux('send-keys', '-t', 'recon', 'Enter');
  };
  const shows = (pattern: RegExp): Promise<string> => screenMatching(pattern, 45_000, 'recon');
  /** A raw user in #back, registered once the server has welcomed them. */
  const bea = async (): Promise<RawUser> => {
    const user = new RawUser(port);
    users.push(user);
    user.send('bea');
    user.send('/JOIN #back');
    await user.waitFor(/OK JOIN #back/);
    return user;
  };

  before(async () => {
    if (skip) return;
    server = await startChatServer();
    port = server.port;
    const command = ['env', 'NO_COLOR=1', quote(process.execPath), '--import', quote(TSX_LOADER), quote(CLI_PATH), '--port', String(port), '--nick', 'rae'].join(' ');
    tmux('new-session', '-d', '-s', 'recon', '-x', '220', '-y', '40', `${command}; echo "EXIT=$?"; sleep 120`);
  });

  after(async () => {
    if (skip) return;
    for (const user of users) user.close();
    try {
      tmux('kill-session', '-t', 'recon');
    } catch {
      // already gone
    }
    await server?.close();
  });

  test('the server going away is said with an offer; /RECONNECT fails plainly while it is down, then puts the user back', { skip }, async () => {
    const first = await bea();
    await shows(/rae \(lobby\)>\s*$/m);
    type('/JOIN #back');
    await shows(/rae #back>\s*$/m);
    await first.waitFor(/rae/);

    await server!.close();
    server = undefined;
    await shows(/error DISCONNECTED: the server closed the connection\ntype \/RECONNECT to connect again as rae, back in #back; \/BYE or Ctrl-D to quit/);
    await shows(/\(disconnected\) rae #back>\s*$/m);
    type('still there?');
    await shows(/error DISCONNECTED: not connected: \/RECONNECT to connect again, \/BYE to quit/);
    type('/RECONNECT');
    await shows(new RegExp(`error RECONNECT: cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED[^\\n]*; /RECONNECT to try again, /BYE to quit`));

    // The same server address again (a restarted server), where bea is back in #back first.
    server = await startChatServer(port);
    const second = await bea();
    type('/RECONNECT');
    await shows(new RegExp(`reconnected to 127\\.0\\.0\\.1:${port} as rae, back in #back`));
    await shows(/^rae #back>\s*$/m);
    await second.waitFor(/\nJOIN #back rae\n/);
    type('hello again');
    await second.waitFor(/MSG #back rae hello again\n/);
  });

  test('quitting while disconnected exits with code 4 (the connection was lost)', { skip }, async () => {
    await server!.close();
    server = undefined;
    await shows(/\(disconnected\) rae #back>\s*$/m);
    type('/BYE');
    await shows(/EXIT=4/);
  });
});
