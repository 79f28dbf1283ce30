import { useTranslation } from 'react-i18next';

/** A failure shown where its content would be, with Retry when trying again can help. */
export function InlineError({ text, onRetry }: { text: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <p className="form-error" role="alert">
      {text}
      {onRetry && (
        <>
          {' '}
          <button type="button" className="link" onClick={onRetry}>
            {t('actions.retry')}
          </button>
        </>
      )}
    </p>
  );
}
