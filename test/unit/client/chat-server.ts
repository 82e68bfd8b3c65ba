/**
 * The server the client tests talk to: the reference server (reference-server/index.ts), in-process,
 * on an ephemeral loopback port. Its log is kept out of the test output.
 */
import { startServer } from '../../../reference-server/index.ts';

export interface ChatServer {
  port: number;
  /** Stops listening and closes every connection (clients see the server close on them). */
  close(): Promise<void>;
  /** A line typed on the server's console (operator commands such as KILL, §5.18). */
  consoleLine(line: string): void;
}

/** On an ephemeral port, or on `port` (a server started again where a client knew it: /RECONNECT). */
export async function startChatServer(port = 0): Promise<ChatServer> {
  const server = await startServer({ port, host: '127.0.0.1', log: () => {} });
  return { port: server.port, close: () => server.close(), consoleLine: (line) => server.consoleLine(line) };
}
