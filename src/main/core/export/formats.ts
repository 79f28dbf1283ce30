// Conversations as Markdown, JSON and CSV text, written in chunks: a file is `start(format)`,
// then `conversation(...)` for each conversation (with `first` telling the first apart, for
// JSON's commas), then `end(format)`. Visitor text is data: escaped for Markdown so a viewer
// shows it as written, and guarded in CSV so a spreadsheet never runs it as a formula.
import type { ConversationDetails, ConversationSummary, Message } from '../../../shared/domain';
import type { ExportFormat } from '../../../shared/export';

export interface ExportedConversation {
  conversation: ConversationSummary;
  details: ConversationDetails | undefined;
  messages: Message[];
}

const iso = (at: number | null | undefined) => (at === null || at === undefined ? '' : new Date(at).toISOString());
const senderOf = (m: Message, visitor: string) => (m.senderType === 'visitor' ? (m.senderName ?? visitor) : m.senderType === 'admin' ? `${m.senderName ?? 'You'} (admin)` : (m.senderName ?? m.senderType));

/** Backslash-escapes what Markdown (and the HTML it allows) would interpret. */
export const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()<>#+\-!|~&]/g, (c) => `\\${c}`);

/** One CSV cell: quoted, quotes doubled; a leading = + - @ (a formula to a spreadsheet) gets a '. */
export const csvCell = (value: string | number) => {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

const CSV_HEADER = ['conversation_id', 'visitor_name', 'visitor_email', 'status', 'message_id', 'sent_at', 'sender_type', 'sender', 'delivery', 'text'];

export function exportStart(format: ExportFormat, exportedAt: number): string {
  switch (format) {
    case 'markdown':
      return `# Switchboard export\n\nExported ${iso(exportedAt)}.\n`;
    case 'json':
      return `{"format":"switchboard-conversations","version":1,"exportedAt":${JSON.stringify(iso(exportedAt))},"conversations":[`;
    case 'csv':
      return `${CSV_HEADER.join(',')}\r\n`;
  }
}

export function exportEnd(format: ExportFormat): string {
  return format === 'json' ? ']}\n' : '';
}

export function exportConversation(format: ExportFormat, item: ExportedConversation, first: boolean): string {
  const { conversation: c, details, messages } = item;
  const visitor = c.visitorName ?? 'Visitor';
  switch (format) {
    case 'json':
      return `${first ? '' : ','}${JSON.stringify({
        id: c.id,
        accountId: c.accountId,
        remoteId: c.remoteId,
        visitor: { name: c.visitorName, email: c.visitorEmail, firstSeenAt: iso(details?.firstSeenAt), conversations: details?.conversationCount ?? 1 },
        status: c.status,
        statusIsLocal: c.statusIsLocal,
        createdAt: iso(c.createdAt),
        statusHistory: (details?.statusHistory ?? []).map((h) => ({ status: h.status, at: iso(h.at), source: h.source })),
        messages: messages.map((m) => ({ id: m.id, sentAt: iso(m.createdAt), senderType: m.senderType, sender: m.senderName, delivery: m.delivery, readAt: iso(m.readAt) || null, text: m.content })),
      })}`;
    case 'csv':
      return messages
        .map((m) => [c.id, c.visitorName ?? '', c.visitorEmail ?? '', c.status, m.id, iso(m.createdAt), m.senderType, senderOf(m, visitor), m.delivery, m.content].map(csvCell).join(',') + '\r\n')
        .join('');
    case 'markdown': {
      const lines = [
        '',
        `## ${escapeMarkdown(visitor)}`,
        '',
        `- Email: ${c.visitorEmail ? escapeMarkdown(c.visitorEmail) : '—'}`,
        `- Status: ${c.status}${c.statusIsLocal ? ' (kept on this computer)' : ''}`,
        `- Started: ${iso(c.createdAt)}`,
        `- First seen: ${iso(details?.firstSeenAt ?? c.createdAt)}`,
        `- Conversations with this visitor: ${details?.conversationCount ?? 1}`,
        '',
        '### Status history',
        '',
        ...((details?.statusHistory ?? []).length === 0 ? ['- none recorded'] : (details?.statusHistory ?? []).map((h) => `- ${iso(h.at)}: ${h.status} (${h.source})`)),
        '',
        '### Messages',
        '',
        ...messages.flatMap((m) => [`**${escapeMarkdown(senderOf(m, visitor))}**, ${iso(m.createdAt)}${m.delivery === 'failed' ? ' (not sent)' : ''}:`, '', ...m.content.split('\n').map((l) => `> ${escapeMarkdown(l)}`), '']),
      ];
      return `${lines.join('\n')}\n`;
    }
  }
}
