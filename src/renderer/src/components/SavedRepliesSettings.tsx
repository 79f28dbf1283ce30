import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SAVED_REPLY_TEXT, MAX_SAVED_REPLY_TITLE, SavedRepliesFile, SavedReplyInput, savedRepliesFile, type SavedReply } from '../../../shared/saved-replies';
import { api } from '../api';
import { useSavedReplies } from '../hooks/useSavedReplies';
import { saveBlob } from '../lib/download';
import { errorMeaning, errorText } from '../lib/errors';
import { useNotices } from './Notices';
import { InlineError } from './InlineError';

type Editing = { id: number | null; title: string; content: string };

/** Settings › Saved replies: add, edit, remove (with undo), export to and import from JSON. */
export function SavedRepliesSettings() {
  const { t } = useTranslation();
  const { run } = useNotices();
  const { replies, loaded, error, reload } = useSavedReplies();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [removed, setRemoved] = useState<SavedReply | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const parsed = SavedReplyInput.safeParse({ title: editing.title, content: editing.content });
    if (!parsed.success) {
      setFormError(t('saved.fillBoth'));
      return;
    }
    try {
      await api().invoke('savedReplies.save', { ...parsed.data, ...(editing.id === null ? {} : { id: editing.id }) });
      setEditing(null);
      setFormError(null);
    } catch (e) {
      setFormError(`${t('saved.saveFailed')} ${errorMeaning(e, t)} ${errorText(e)}`);
    }
  };

  const remove = (reply: SavedReply) =>
    void run(t('saved.removeFailed', { title: reply.title }), async () => {
      await api().invoke('savedReplies.remove', { id: reply.id });
      setRemoved(reply);
    });

  const undoRemove = (reply: SavedReply) => {
    setRemoved(null);
    void run(t('notice.undo'), () => api().invoke('savedReplies.save', { title: reply.title, content: reply.content }));
  };

  const exportFile = () => {
    saveBlob(new Blob([JSON.stringify(savedRepliesFile(replies), null, 2)], { type: 'application/json' }), 'switchboard-saved-replies.json');
    setStatus(t('saved.exported', { count: replies.length }));
  };

  const importFile = async (file: File) => {
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch {
      setStatus(t('saved.importNotJson', { name: file.name }));
      return;
    }
    const parsed = SavedRepliesFile.safeParse(data);
    if (!parsed.success) {
      setStatus(t('saved.importWrongFile', { name: file.name }));
      return;
    }
    // Entries with an empty or too long title or text are skipped, and counted.
    const good = parsed.data.replies.flatMap((r) => {
      const ok = SavedReplyInput.safeParse(r);
      return ok.success ? [ok.data] : [];
    });
    const skipped = parsed.data.replies.length - good.length;
    await run(t('saved.importFailed', { name: file.name }), async () => {
      const result = await api().invoke('savedReplies.import', { replies: good });
      setStatus(t('saved.imported', { added: result.added, updated: result.updated, skipped }));
    });
  };

  return (
    <section aria-labelledby="settings-saved">
      <div className="row spread">
        <h3 id="settings-saved">{t('saved.title')}</h3>
        <div className="row">
          <button type="button" onClick={() => setEditing({ id: null, title: '', content: '' })} disabled={editing !== null}>
            {t('saved.add')}
          </button>
          <button type="button" onClick={exportFile} disabled={replies.length === 0}>
            {t('saved.export')}
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            {t('saved.import')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            aria-label={t('saved.importFile')}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
        </div>
      </div>
      <p className="muted small-hint">{t('saved.hint')}</p>
      {error && <InlineError text={`${t('saved.loadFailed')} ${error}`} onRetry={reload} />}
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      {removed && (
        <p className="row" role="status">
          <span>{t('saved.removed', { title: removed.title })}</span>
          <button type="button" onClick={() => undoRemove(removed)}>
            {t('actions.undo')}
          </button>
        </p>
      )}
      {editing && (
        <form
          className="saved-form"
          aria-label={editing.id === null ? t('saved.add') : t('saved.edit')}
          onSubmit={(e) => void save(e)}
          onKeyDown={(e) => {
            // Escape cancels the edit, not the whole dialog.
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setEditing(null);
            }
          }}
        >
          <label>
            {t('saved.titleLabel')}
            <input value={editing.title} maxLength={MAX_SAVED_REPLY_TITLE} onChange={(e) => setEditing({ ...editing, title: e.target.value })} data-autofocus autoFocus />
          </label>
          <label>
            {t('saved.textLabel')}
            <textarea rows={3} value={editing.content} maxLength={MAX_SAVED_REPLY_TEXT} onChange={(e) => setEditing({ ...editing, content: e.target.value })} />
          </label>
          {formError && <InlineError text={formError} />}
          <div className="dialog-actions">
            <button type="button" onClick={() => setEditing(null)}>
              {t('actions.cancel')}
            </button>
            <button type="submit" className="primary">
              {t('saved.save')}
            </button>
          </div>
        </form>
      )}
      {loaded && replies.length === 0 && !editing ? (
        <p className="muted">{t('saved.noneYet')}</p>
      ) : (
        <ul className="saved-list" aria-label={t('saved.title')}>
          {replies.map((r) => (
            <li key={r.id}>
              <div className="saved-entry">
                <span className="saved-title">{r.title}</span>
                <span className="saved-text">{r.content}</span>
              </div>
              <button type="button" aria-label={t('saved.editNamed', { title: r.title })} onClick={() => setEditing({ id: r.id, title: r.title, content: r.content })}>
                {t('saved.edit')}
              </button>
              <button type="button" aria-label={t('saved.removeNamed', { title: r.title })} onClick={() => remove(r)}>
                {t('saved.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
