// The ConsoleApi methods for export: which conversations (a filter or a search), then their
// text a chunk at a time, so the renderer shows progress and a large export never sits in one
// string on either side.
import { ConsoleError, type ConsoleApiHandlers } from '../../../shared/contract';
import { MAX_EXPORT } from '../../../shared/export';
import { exportConversation, exportEnd, exportStart } from '../export/formats';
import type { Mirror } from '../mirror/mirror';

type ExportHandlers = Pick<ConsoleApiHandlers, 'export.ids' | 'export.chunk'>;

export function exportHandlers(deps: { mirror: Mirror; clock: () => number }) {
  const { mirror, clock } = deps;
  return {
    'export.ids': (input) => {
      const ids: number[] = [];
      if ('query' in input) {
        for (const hit of mirror.searchIndex.search(input.query, 200)) if (hit.conversationId !== null && !ids.includes(hit.conversationId)) ids.push(hit.conversationId);
        return { ids };
      }
      let cursor: string | undefined;
      do {
        const page = mirror.conversations.page(input.filter, 500, cursor, input.accountId);
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && ids.length < MAX_EXPORT);
      return { ids: ids.slice(0, MAX_EXPORT) };
    },

    'export.chunk': ({ format, conversationIds, first, last }) => {
      let text = first ? exportStart(format, clock()) : '';
      conversationIds.forEach((id, i) => {
        const conversation = mirror.conversations.get(id);
        if (!conversation) throw new ConsoleError('not-found', `Conversation ${id} does not exist.`);
        text += exportConversation(format, { conversation, details: mirror.conversations.details(id), messages: mirror.messages.all(id) }, first && i === 0);
      });
      if (last) text += exportEnd(format);
      return { text };
    },
  } satisfies ExportHandlers;
}
