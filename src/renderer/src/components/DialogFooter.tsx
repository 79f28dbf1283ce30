// The end of a dialog's form: the error, if any, announced as an alert, then Cancel and the
// primary (submit) button. One piece so every form dialog looks and behaves alike.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function DialogFooter({ error, onCancel, submitLabel, submitDisabled }: { error: string | null; onCancel: () => void; submitLabel: ReactNode; submitDisabled: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
        <button type="submit" className="primary" disabled={submitDisabled}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
