// "Sign in with the site's page" for kinds whose site signs in on a page of its own
// (KindForm.siteSignIn), offered only in the desktop app: the main process opens the page in a
// separate, isolated window and keeps the session it gets there. Browser mode has no such window.
import { useTranslation } from 'react-i18next';
import type { KindForm } from '../../../shared/kinds';
import { useAppMode } from '../hooks/useAppMode';

export function useSiteSignInOffered(form: KindForm | undefined): boolean {
  const mode = useAppMode();
  return form?.siteSignIn === true && mode === 'electron';
}

export function SiteSignInButton({ waiting, disabled, onClick }: { waiting: boolean; disabled: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="site-sign-in">
      <button type="button" className="primary" onClick={onClick} disabled={disabled} aria-describedby="site-sign-in-help">
        {waiting ? t('siteSignIn.waiting') : t('siteSignIn.button')}
      </button>
      <span id="site-sign-in-help" className="muted small field-help">
        {t('siteSignIn.help')}
      </span>
      <span className="muted small">{t('siteSignIn.or')}</span>
    </div>
  );
}
