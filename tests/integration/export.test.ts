// Export over a real mirror: which conversations a filter or a search covers, and the text of
// each format written in chunks (a JSON export in three chunks is one valid document; Markdown
// shows visitor text as written; CSV never starts a cell with a formula).
import { afterEach, describe, expect, it } from 'vitest';
import { exportHandlers } from '../../src/main/core/api/export-handlers';
import { csvCell, escapeMarkdown } from '../../src/main/core/export/formats';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { ExportFormat } from '../../src/shared/export';
import { openTempMirror } from '../support/temp-db';

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function fill(mirror: Mirror) {
  const account = mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://x' }, T0);
  const made: number[] = [];
  mirror.transaction(() => {
    for (let i = 1; i <= 5; i++) {
      const { row } = mirror.conversations.upsert(
        account.id,
        { remoteId: String(i), visitorName: i === 1 ? 'Ana *bold* <script>' : `Visitor ${i}`, visitorEmail: `v${i}@example.com`, serverStatus: i <= 3 ? 'active' : 'resolved', createdAt: T0 + i * 1000, lastMessageAt: T0 + i * 1000 },
        T0,
      );
      mirror.messages.apply(row.id, [
        { remoteId: `${i}-1`, senderType: 'visitor', content: i === 2 ? '=HYPERLINK("http://evil")' : `Question ${i}\nsecond line about ongkir`, createdAt: T0 + i * 1000 },
        { remoteId: `${i}-2`, senderType: 'admin', senderName: 'Owner', content: `Answer "${i}"`, createdAt: T0 + i * 1000 + 500 },
      ]);
      made.push(row.id);
    }
  });
  return { account, made };
}

function exportAll(api: ReturnType<typeof exportHandlers>, format: ExportFormat, ids: number[], size: number) {
  const chunks: string[] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(api['export.chunk']({ format, conversationIds: ids.slice(i, i + size), first: i === 0, last: i + size >= ids.length }).text);
  return chunks.join('');
}

describe('export', () => {
  it('lists the conversations of a filter (newest first), of an account, and of a search', () => {
    const opened = openTempMirror();
    close = opened.close;
    const { account, made } = fill(opened.mirror);
    const api = exportHandlers({ mirror: opened.mirror, clock: () => T0 });
    expect(api['export.ids']({ filter: 'active' }).ids).toEqual([made[2], made[1], made[0]]);
    expect(api['export.ids']({ filter: 'all', accountId: account.id }).ids).toHaveLength(5);
    expect(api['export.ids']({ filter: 'all', accountId: account.id + 1 }).ids).toEqual([]);
    expect(api['export.ids']({ query: 'ongkir' }).ids.sort()).toEqual([made[0], made[2], made[3], made[4]].sort());
  });

  it('JSON written in chunks is one document with visitor details, status history and messages', () => {
    const opened = openTempMirror();
    close = opened.close;
    const { made } = fill(opened.mirror);
    const api = exportHandlers({ mirror: opened.mirror, clock: () => T0 });
    const doc = JSON.parse(exportAll(api, 'json', made, 2));
    expect(doc).toMatchObject({ format: 'switchboard-conversations', version: 1, exportedAt: new Date(T0).toISOString() });
    expect(doc.conversations).toHaveLength(5);
    const first = doc.conversations[0];
    expect(first.visitor).toMatchObject({ name: 'Ana *bold* <script>', email: 'v1@example.com', conversations: 1 });
    expect(first.statusHistory).toEqual([expect.objectContaining({ status: 'active', source: 'initial' })]);
    expect(first.messages.map((m: { senderType: string; text: string }) => [m.senderType, m.text])).toEqual([
      ['visitor', 'Question 1\nsecond line about ongkir'],
      ['admin', 'Answer "1"'],
    ]);
    // Same text whatever the chunk size.
    expect(exportAll(api, 'json', made, 20)).toBe(exportAll(api, 'json', made, 1));
  });

  it('Markdown shows visitor text as written (escaped), CSV has a header, one row per message and no formulas', () => {
    const opened = openTempMirror();
    close = opened.close;
    const { made } = fill(opened.mirror);
    const api = exportHandlers({ mirror: opened.mirror, clock: () => T0 });
    const md = exportAll(api, 'markdown', made.slice(0, 2), 1);
    expect(md).toContain('## Ana \\*bold\\* \\<script\\>');
    expect(md).toContain('> Question 1\n> second line about ongkir');
    expect(md).toContain('### Status history');
    expect(md).not.toContain('<script>');

    const csv = exportAll(api, 'csv', made, 3).trimEnd().split('\r\n');
    expect(csv[0]).toBe('conversation_id,visitor_name,visitor_email,status,message_id,sent_at,sender_type,sender,delivery,text');
    expect(csv).toHaveLength(1 + 10);
    const evil = csv.find((line) => line.includes('HYPERLINK'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    expect(csvCell('plain, "quoted"')).toBe('"plain, ""quoted"""');
    expect(escapeMarkdown('a_b [x](y) # h')).toBe('a\\_b \\[x\\]\\(y\\) \\# h');
  });

  it('a conversation that is gone is a not-found error', () => {
    const opened = openTempMirror();
    close = opened.close;
    const api = exportHandlers({ mirror: opened.mirror, clock: () => T0 });
    expect(() => api['export.chunk']({ format: 'csv', conversationIds: [42], first: true, last: true })).toThrow(/does not exist/);
  });
});
