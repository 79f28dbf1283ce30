// A helper process for the djangopoll benchmark: students of the real Django reference backend
// (backends/django) who sign in over its REST API and write over their own socket
// (/ws/chat/my-conversation/), as the site's students do, so their work is not counted in the
// core's process (whose CPU time the benchmark measures).
import { SiteClient, type SiteSocket } from '../../backends/django/launcher/site-client';
import { serveAgent } from './agent-serve';
import { sleep } from './report';

function state() {
  const sockets: SiteSocket[] = [];
  return {
    'students.open': async ({ url, students }: { url: string; students: { username: string; password: string }[] }) => {
      for (const s of students) {
        const client = new SiteClient(url);
        await client.login(s.username, s.password);
        const socket = await client.socket('/ws/chat/my-conversation/');
        await socket.next((f) => f.type === 'connection_established');
        sockets.push(socket);
      }
      return sockets.length;
    },
    /** Each student writes one message every `intervalMs` (staggered) for `durationMs`, waiting for its echo. */
    'students.run': async ({ durationMs, intervalMs }: { durationMs: number; intervalMs: number }) => {
      let sent = 0;
      const errors: string[] = [];
      const end = Date.now() + durationMs;
      await Promise.all(
        sockets.map(async (socket, i) => {
          await sleep((intervalMs * i) / sockets.length);
          for (let n = 0; Date.now() < end; n++) {
            const text = `busy student ${i} message ${n}`;
            const from = socket.frames.length;
            socket.send(text);
            try {
              await socket.next((f) => f.type === 'new_message' && (f.message as { content?: string }).content === text, from);
              sent++;
            } catch (error) {
              if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
            }
            await sleep(intervalMs);
          }
        }),
      );
      return { sent, errors };
    },
    'students.close': () => {
      for (const s of sockets) s.ws.close();
      return null;
    },
  };
}

serveAgent(state());
