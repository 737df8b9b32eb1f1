// A server under benchmark in a child process: started, waited for until it answers, and stopped
// by its PID (SIGTERM, then SIGKILL), with its output kept for the error that explains a failure.
// Design decision: readiness is a question the caller supplies (a correct answer, not an open port),
// since a server that listens before its data is loaded would otherwise be measured half-loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3000;

export async function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  ready: () => Promise<boolean>,
  deadlineMs: number,
  /** Added to this process's environment. */
  env: Readonly<Record<string, string>> = {},
): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const output: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => output.push(b));
  child.stderr!.on('data', (b: Buffer) => output.push(b));
  const spawned = await Promise.race([once(child, 'spawn').then(() => true), once(child, 'error').then(() => false)]);
  const server = { name, pid: child.pid!, stop: () => stop(child) };
  const deadline = Date.now() + deadlineMs;
  while (spawned && child.exitCode === null && Date.now() < deadline) {
    if (await ready()) return server;
    await sleep(50);
  }
  await stop(child);
  throw new Error(`${name} (${command} ${args.join(' ')}) did not answer within ${deadlineMs} ms:\n${Buffer.concat(output).toString()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
