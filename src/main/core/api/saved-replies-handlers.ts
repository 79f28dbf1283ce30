// The ConsoleApi methods for saved replies: list, save (new or edited), remove, import.
import { ConsoleError, type ConsoleApiHandlers } from '../../../shared/contract';
import { MAX_SAVED_REPLIES } from '../../../shared/saved-replies';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';

type SavedReplyHandlers = Pick<ConsoleApiHandlers, 'savedReplies.list' | 'savedReplies.save' | 'savedReplies.remove' | 'savedReplies.import'>;

export function savedReplyHandlers(deps: { mirror: Mirror; events: EventBus; clock: () => number }) {
  const { mirror, events, clock } = deps;
  // Looked up per call: the handlers are made before anything is asked of them.
  const replies = () => mirror.savedReplies;
  const changed = () => events.emit('savedReplies.changed', { count: replies().count() });
  const titleTaken = (title: string) => new ConsoleError('bad-request', `A saved reply named “${title}” already exists.`);

  return {
    'savedReplies.list': () => replies().list(),

    'savedReplies.save': ({ id, title, content }) => {
      const repo = replies();
      const same = repo.byTitle(title);
      if (same && same.id !== id) throw titleTaken(title);
      let saved;
      if (id === undefined) {
        if (repo.count() >= MAX_SAVED_REPLIES) throw new ConsoleError('bad-request', `There are already ${MAX_SAVED_REPLIES} saved replies; remove some first.`);
        saved = repo.create({ title, content }, clock());
      } else {
        saved = repo.update(id, { title, content }, clock());
        if (!saved) throw new ConsoleError('not-found', `Saved reply ${id} does not exist.`);
      }
      changed();
      return saved;
    },

    'savedReplies.remove': ({ id }) => {
      if (!replies().remove(id)) throw new ConsoleError('not-found', `Saved reply ${id} does not exist.`);
      changed();
      return null;
    },

    // A title already here gets the imported text; the whole file applies in one transaction.
    'savedReplies.import': ({ replies: file }) => {
      const repo = replies();
      const result = mirror.transaction(() => {
        let added = 0;
        let updated = 0;
        const now = clock();
        for (const reply of file) {
          const existing = repo.byTitle(reply.title);
          if (existing) {
            if (existing.content !== reply.content) {
              repo.update(existing.id, reply, now);
              updated += 1;
            }
            continue;
          }
          if (repo.count() >= MAX_SAVED_REPLIES) throw new ConsoleError('bad-request', `The file would make more than ${MAX_SAVED_REPLIES} saved replies; nothing was imported.`);
          repo.create(reply, now);
          added += 1;
        }
        return { added, updated };
      });
      if (result.added + result.updated > 0) changed();
      return result;
    },
  } satisfies SavedReplyHandlers;
}
