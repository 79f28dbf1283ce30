// The export dialog against a fake ConsoleApi: the conversations chosen, chunks fetched with
// progress, the file saved with its name, PDF handed to the print view, a failure shown.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportDialog } from '../../src/renderer/src/components/ExportDialog';
import { exportFilename } from '../../src/renderer/src/lib/export-run';
import { ConsoleError } from '../../src/shared/errors';
import { EXPORT_CHUNK } from '../../src/shared/export';
import { installFakeApi } from './support/fake-api';
import { renderInApp } from './support/render';

afterEach(() => vi.restoreAllMocks());

function captureDownloads() {
  const saved: { name: string; blob: Blob }[] = [];
  let last: Blob | null = null;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    last = b as Blob;
    return 'blob:test';
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: last! });
  });
  return saved;
}

describe('ExportDialog', () => {
  it('exports the filter’s conversations a chunk at a time and saves one file', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => i + 1);
    const fake = installFakeApi({
      'export.ids': () => ({ ids }),
      'export.chunk': ({ conversationIds, first, last }) => ({ text: `${first ? 'START\n' : ''}${conversationIds.join(',')}\n${last ? 'END\n' : ''}` }),
    });
    const saved = captureDownloads();
    const user = userEvent.setup();
    renderInApp(<ExportDialog open={{ id: 7, name: 'Ana' }} filter="resolved" filterCount={45} query="" onClose={() => {}} onPrint={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export conversations' });
    expect(within(dialog).getByRole('radio', { name: 'This conversation, with Ana' })).toBeChecked();
    await user.click(within(dialog).getByRole('radio', { name: 'The 45 conversations in Resolved' }));
    await user.click(within(dialog).getByRole('radio', { name: 'CSV, one row per message (.csv)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    expect(await within(dialog).findByText(/^Exported 45 conversations to switchboard-resolved-\d{4}-\d\d-\d\d\.csv\.$/)).toBeVisible();
    expect(fake.callsOf('export.ids')).toEqual([{ filter: 'resolved' }]);
    const chunks = fake.callsOf('export.chunk') as { conversationIds: number[]; format: string }[];
    expect(chunks.map((c) => c.conversationIds.length)).toEqual([EXPORT_CHUNK, EXPORT_CHUNK, 45 - 2 * EXPORT_CHUNK]);
    expect(chunks.every((c) => c.format === 'csv')).toBe(true);
    expect(saved).toHaveLength(1);
    expect(await saved[0]!.blob.text()).toBe(`START\n${ids.slice(0, 20).join(',')}\n${ids.slice(20, 40).join(',')}\n${ids.slice(40).join(',')}\nEND\n`);
    expect(saved[0]!.blob.type).toContain('text/csv');
  });

  it('one conversation as PDF goes to the print view as Markdown', async () => {
    const fake = installFakeApi({ 'export.chunk': ({ conversationIds }) => ({ text: `# conversation ${conversationIds[0]}` }) });
    const onPrint = vi.fn();
    const user = userEvent.setup();
    renderInApp(<ExportDialog open={{ id: 7, name: 'Ana' }} filter="active" filterCount={3} query="" onClose={() => {}} onPrint={onPrint} />);
    await user.click(screen.getByRole('radio', { name: /^PDF/ }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(onPrint).toHaveBeenCalledWith('# conversation 7', 'Conversation with Ana'));
    expect(fake.callsOf('export.chunk')).toEqual([{ format: 'markdown', conversationIds: [7], first: true, last: true }]);
    expect(fake.callsOf('export.ids')).toEqual([]);
  });

  it('exports a search’s conversations, says when there is nothing, and shows a failure', async () => {
    let found: number[] = [];
    installFakeApi({
      'export.ids': () => ({ ids: found }),
      'export.chunk': () => {
        throw new ConsoleError('not-found', 'Conversation 3 does not exist.');
      },
    });
    const user = userEvent.setup();
    renderInApp(<ExportDialog open={null} filter="active" filterCount={3} query="ongkir" onClose={() => {}} onPrint={() => {}} />);
    expect(screen.getByRole('radio', { name: 'The conversations found for “ongkir”' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByText('There is nothing to export.')).toBeVisible();
    found = [3];
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The export did not work. It no longer exists');
  });

  it('names files after what was exported and the day', () => {
    expect(exportFilename('Zoë Ardiansyah', 'markdown', new Date(2026, 11, 1))).toBe('switchboard-zoe-ardiansyah-2026-12-01.md');
    expect(exportFilename('search-"../../etc"', 'json', new Date(2026, 0, 9))).toBe('switchboard-search-etc-2026-01-09.json');
    expect(exportFilename('!!!', 'csv', new Date(2026, 0, 9))).toBe('switchboard-export-2026-01-09.csv');
  });
});
