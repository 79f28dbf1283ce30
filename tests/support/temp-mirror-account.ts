// A temp mirror with one portfolio account, the set-up of the repository tests.
import { openTempMirror } from './temp-db';

export type TempMirror = ReturnType<typeof openTempMirror>;

export function openTempMirrorWithAccount(): { ctx: TempMirror; mirror: TempMirror['mirror']; accountId: number } {
  const ctx = openTempMirror();
  const accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'My site', baseUrl: 'http://127.0.0.1:1' }, 1000).id;
  return { ctx, mirror: ctx.mirror, accountId };
}
