// Exporting conversations: the formats, and what a file of each is called and typed as. The
// core writes the text (src/main/core/export); the renderer fetches it in chunks and saves it.
import { z } from 'zod';

export const ExportFormat = z.enum(['markdown', 'json', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const exportFiles: Record<ExportFormat, { extension: string; mime: string }> = {
  markdown: { extension: 'md', mime: 'text/markdown' },
  json: { extension: 'json', mime: 'application/json' },
  csv: { extension: 'csv', mime: 'text/csv' },
};

/** Conversations per export.chunk call: small enough to show progress and keep memory flat. */
export const EXPORT_CHUNK = 20;
/** At most this many conversations in one export. */
export const MAX_EXPORT = 100_000;
