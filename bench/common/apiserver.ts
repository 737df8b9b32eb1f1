// The scale benchmark's fake API server (bench/scale/apiserver.ts) as a child process, for every
// benchmark that serves a generated cluster to clusterdns through a kubeconfig.
// Design decision: the server lives in its own process so its work is not measured as ours and
// the measuring process's event loop stays free.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { Command, Reply, Request } from '../scale/apiserver.js';

export interface ApiServerProcess {
  ask(command: Exclude<Command, { do: 'stop' }>): Promise<Reply['result']>;
  stop(): Promise<void>;
}

export function forkApiServer(): ApiServerProcess {
  const child = fork(new URL('../scale/apiserver.js', import.meta.url).pathname, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (result: Reply['result']) => void>();
  let nextId = 1;
  child.on('message', (reply: Reply) => {
    waiting.get(reply.id)?.(reply.result);
    waiting.delete(reply.id);
  });
  return {
    ask: (command) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ ...command, id } satisfies Request);
      }),
    async stop() {
      child.send({ do: 'stop', id: nextId++ } satisfies Request);
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
