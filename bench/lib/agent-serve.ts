// The helper-process side of the agent IPC (bench/lib/agent-client.ts forks it): each command
// is a handler; its value or its error goes back with the call's id.
export type AgentHandlers = Record<string, (args: never) => unknown>;

export function serveAgent(handlers: AgentHandlers): void {
  process.on('message', (raw: unknown) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args: unknown };
    const handler = handlers[cmd];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown agent command ${cmd}`);
        const value = await (handler as (a: unknown) => unknown)(args ?? {});
        process.send!({ id, ok: true, value });
      } catch (error) {
        process.send!({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}
