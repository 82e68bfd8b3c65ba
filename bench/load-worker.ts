/**
 * Worker-thread entry of the load generator: runs one GeneratorShard and answers the coordinator's
 * commands (load.ts). Messages: ping -> pong (booted); setup -> ready(setupMs) | failed(message); settle -> settled;
 * phase -> (shard sends); end-phase; results -> results; close -> closed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { optimiseEarly } from '../reference-server/net/jit-policy.ts';
import { GeneratorShard, type ShardConfig } from './shard.ts';

export type ToShard =
  | { type: 'ping' }
  | { type: 'setup' }
  | { type: 'settle' }
  | { type: 'phase'; from: number; to: number }
  | { type: 'end-phase' }
  | { type: 'results' }
  | { type: 'close' };

// The generator's receive path is a relay's hot path too (a few small functions, millions of calls): with
// V8's default budget its optimised code was still being compiled, on a third thread, while measuring.
optimiseEarly();
const { config, deliveredCount, receivedTotal, wake } = workerData as { config: ShardConfig; deliveredCount: SharedArrayBuffer; receivedTotal: SharedArrayBuffer; wake: SharedArrayBuffer };
const shard = new GeneratorShard(config, { deliveredCount: new Int32Array(deliveredCount), receivedTotal: new Int32Array(receivedTotal), wake: new Int32Array(wake) });
const port = parentPort!;

port.on('message', (message: ToShard) => {
  switch (message.type) {
    case 'ping':
      port.postMessage({ type: 'pong' });
      break;
    case 'setup':
      shard.setup().then(
        (setupMs) => port.postMessage({ type: 'ready', setupMs }),
        (error: unknown) => port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'settle':
      void shard.settle().then(() => port.postMessage({ type: 'settled' }));
      break;
    case 'phase':
      shard.startPhase(message.from, message.to);
      break;
    case 'end-phase':
      shard.endPhase();
      break;
    case 'results': {
      const results = shard.results();
      port.postMessage({ type: 'results', results }, [results.latencies.buffer as ArrayBuffer]);
      break;
    }
    case 'close':
      shard.close();
      port.postMessage({ type: 'closed' });
      port.close();
      break;
  }
});
