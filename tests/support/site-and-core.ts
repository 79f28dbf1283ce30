// The reference backend with one visitor who wrote `messages` messages, and a fresh core on a
// temp profile, both closed by the cleanups the test runs afterwards.
import { Visitor, startTestBackend, startTestCore, type TestBackend, type TestCore } from './portfolio-harness';
import { tempDir } from './temp-db';

export async function siteAndCore(cleanups: (() => Promise<void> | void)[], messages = 1): Promise<{ backend: TestBackend; visitor: Visitor; app: TestCore }> {
  const backend = await startTestBackend();
  cleanups.push(() => backend.close());
  const visitor = await new Visitor(backend.apiUrl, 'Vera').open();
  for (let i = 0; i < messages; i++) await visitor.send(messages === 1 ? 'hello' : `message ${i}`);
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  const app = await startTestCore(dir.dir);
  cleanups.push(() => app.close());
  return { backend, visitor, app };
}
