// Runs an export: the conversations' text fetched a chunk at a time from the core and kept as
// parts of one Blob, with progress after each chunk and a way to stop.
import { EXPORT_CHUNK, exportFiles, type ExportFormat } from '../../../shared/export';
import { api } from '../api';

export interface ExportProgress {
  done: number;
  total: number;
}

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled.');
  }
}

export async function runExport(ids: readonly number[], format: ExportFormat, onProgress: (p: ExportProgress) => void, signal?: AbortSignal): Promise<Blob> {
  const parts: string[] = [];
  onProgress({ done: 0, total: ids.length });
  for (let i = 0; i < ids.length; i += EXPORT_CHUNK) {
    if (signal?.aborted) throw new ExportCancelled();
    const conversationIds = ids.slice(i, i + EXPORT_CHUNK);
    const { text } = await api().invoke('export.chunk', { format, conversationIds, first: i === 0, last: i + EXPORT_CHUNK >= ids.length });
    parts.push(text);
    onProgress({ done: Math.min(ids.length, i + EXPORT_CHUNK), total: ids.length });
  }
  return new Blob(parts, { type: `${exportFiles[format].mime};charset=utf-8` });
}

/** "switchboard-active-2026-12-01.md": what was exported, and when. */
export function exportFilename(scope: string, format: ExportFormat, at: Date): string {
  const day = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  const safe = scope
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 40);
  return `switchboard-${safe || 'export'}-${day}.${exportFiles[format].extension}`;
}
