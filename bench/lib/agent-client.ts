// The benchmark process's side of an agent (bench/lib/agent.ts): fork it, call its commands.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export class Agent {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (raw: unknown) => {
      const message = raw as { id: number; ok: boolean; value?: unknown; error?: string };
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(`agent ${name}: ${message.error}`));
    });
    child.on('exit', (code) => {
      for (const call of this.pending.values()) call.reject(new Error(`agent ${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Forks bench/lib/agent.ts, or another helper script of bench/lib that speaks the same IPC. */
  static start(name: string, script = 'agent.ts'): Agent {
    const child = fork(join(__dirname, script), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Agent(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, cmd, args });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
