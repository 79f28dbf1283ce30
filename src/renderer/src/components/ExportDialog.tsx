import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationFilter } from '../../../shared/domain';
import type { ExportFormat } from '../../../shared/export';
import { api } from '../api';
import { saveBlob } from '../lib/download';
import { errorMeaning, errorText } from '../lib/errors';
import { ExportCancelled, exportFilename, runExport, type ExportProgress } from '../lib/export-run';
import { Modal } from './Modal';
import { InlineError } from './InlineError';

interface Props {
  /** The conversation on screen, if any. */
  open: { id: number; name: string } | null;
  filter: ConversationFilter;
  filterCount: number;
  /** The search in the list's field, when there is one. */
  query: string;
  onClose: () => void;
  /** PDF: the Markdown text, for the print view. */
  onPrint: (text: string, title: string) => void;
}

type Choice = ExportFormat | 'pdf';
const choices: Choice[] = ['markdown', 'json', 'csv', 'pdf'];

/** One conversation, or those in the current filter or search, as Markdown, JSON, CSV or PDF. */
export function ExportDialog({ open, filter, filterCount, query, onClose, onPrint }: Props) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'one' | 'list'>(open ? 'one' : 'list');
  const [choice, setChoice] = useState<Choice>('markdown');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  const listLabel = query ? t('export.search', { query }) : t('export.filter', { filter: t(`filter.${filter}`), count: filterCount });

  const start = async () => {
    const controller = new AbortController();
    running.current = controller;
    setError(null);
    setStatus(null);
    try {
      const ids = scope === 'one' && open ? [open.id] : (await api().invoke('export.ids', query ? { query } : { filter })).ids;
      if (ids.length === 0) {
        setStatus(t('export.nothing'));
        return;
      }
      const format = choice === 'pdf' ? 'markdown' : choice;
      const blob = await runExport(ids, format, setProgress, controller.signal);
      const scopeName = scope === 'one' && open ? open.name : query ? `search-${query}` : filter;
      if (choice === 'pdf') {
        onPrint(await blob.text(), scope === 'one' && open ? t('export.printTitleOne', { name: open.name }) : listLabel);
        return;
      }
      const name = exportFilename(scopeName, format, new Date());
      saveBlob(blob, name);
      setStatus(t('export.saved', { count: ids.length, name }));
    } catch (e) {
      if (e instanceof ExportCancelled) setStatus(t('export.cancelled'));
      else setError(`${t('export.failed')} ${errorMeaning(e, t)} ${errorText(e)}`);
    } finally {
      running.current = null;
      setProgress(null);
    }
  };

  const busy = progress !== null;
  return (
    <Modal label={t('export.title')} onClose={() => (busy ? running.current?.abort() : onClose())}>
      <h2>{t('export.title')}</h2>
      <fieldset className="choice-group" disabled={busy}>
        <legend>{t('export.what')}</legend>
        {open && (
          <label className="check">
            <input type="radio" name="export-scope" checked={scope === 'one'} onChange={() => setScope('one')} />
            {t('export.one', { name: open.name })}
          </label>
        )}
        <label className="check">
          <input type="radio" name="export-scope" checked={scope === 'list'} onChange={() => setScope('list')} />
          {listLabel}
        </label>
      </fieldset>
      <fieldset className="choice-group" disabled={busy}>
        <legend>{t('export.format')}</legend>
        {choices.map((c) => (
          <label key={c} className="check">
            <input type="radio" name="export-format" checked={choice === c} onChange={() => setChoice(c)} />
            {t(`export.formats.${c}`)}
          </label>
        ))}
      </fieldset>
      {progress && (
        <div className="export-progress" role="status">
          <progress max={progress.total} value={progress.done} aria-label={t('export.progressLabel')} />
          <span>{t('export.progress', { done: progress.done, total: progress.total })}</span>
        </div>
      )}
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      {error && <InlineError text={error} />}
      <div className="dialog-actions">
        {busy ? (
          <button type="button" onClick={() => running.current?.abort()}>
            {t('actions.cancel')}
          </button>
        ) : (
          <button type="button" onClick={onClose}>
            {t('actions.done')}
          </button>
        )}
        <button type="button" className="primary" onClick={() => void start()} disabled={busy} data-autofocus>
          {t('export.start')}
        </button>
      </div>
    </Modal>
  );
}
