// Sync without paging or cursors: the deployed site lists conversations per status (status=all
// matches nothing), unpaged. The lists are merged by id, and compared with the last view to
// tell which conversations changed: their whole history is fetched only then.

export interface ListedConversation {
  id: number;
  status: string;
  lastMessageAt: string | null;
  updatedAt: string;
  unreadCount: number;
}

export const STATUSES = ['active', 'resolved', 'closed'] as const;

/**
 * One entry per id. A conversation moved between statuses while the lists were fetched appears
 * twice: the newer updatedAt wins.
 */
export function mergeStatusLists<T extends ListedConversation>(lists: readonly (readonly T[])[]): T[] {
  const byId = new Map<number, T>();
  for (const list of lists) {
    for (const c of list) {
      const seen = byId.get(c.id);
      if (!seen || Date.parse(c.updatedAt) > Date.parse(seen.updatedAt)) byId.set(c.id, c);
    }
  }
  return [...byId.values()];
}

export interface ListView {
  status: string;
  lastMessageAt: string | null;
  unreadCount: number;
}

export interface ListChange {
  /** Not seen before, or lastMessageAt / unreadCount moved: its messages must be fetched. */
  messagesChanged: number[];
  /** Only the status (or the visitor's name) may have changed: the row is enough. */
  rowChanged: number[];
}

/** Compares a merged list with the previous view; updates `view` in place. */
export function diffList(view: Map<number, ListView>, merged: readonly ListedConversation[]): ListChange {
  const change: ListChange = { messagesChanged: [], rowChanged: [] };
  for (const c of merged) {
    const before = view.get(c.id);
    const next = { status: c.status, lastMessageAt: c.lastMessageAt, unreadCount: c.unreadCount };
    view.set(c.id, next);
    if (!before || before.lastMessageAt !== c.lastMessageAt || before.unreadCount !== c.unreadCount) change.messagesChanged.push(c.id);
    else if (before.status !== c.status) change.rowChanged.push(c.id);
  }
  return change;
}

