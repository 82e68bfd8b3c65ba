/**
 * The server the client tests talk to. The reference server (reference-server/index.ts) is being
 * written in parallel; until it exports startServer, the tests use the small fake canonical server.
 */
import { startFakeChatServer } from './fake-chat-server.ts';

export interface ChatServer {
  port: number;
  /** Stops listening and closes every connection (clients see the server close on them). */
  close(): Promise<void>;
}

export async function startChatServer(): Promise<ChatServer> {
  const fake = await startFakeChatServer();
  return { port: fake.port, close: () => fake.close() };
}
