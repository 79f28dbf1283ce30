import { useTranslation } from 'react-i18next';

/** Browser mode lost its socket to the core: nothing on screen is live until it is back. */
export function TransportBanner() {
  const { t } = useTranslation();
  return (
    <div className="banner error transport-lost" role="alert">
      <span>{t('transport.lost')}</span>
    </div>
  );
}
