// The renderer's door to the shared display-neutralising function: visitor names and one-line
// texts (list previews, search snippets) shown the same way in every component.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { displayName, displayText } from '../../../shared/display-text';

export { displayText };

/** `name(raw)`: the visitor's name as shown everywhere in this language. */
export function useVisitorName(): (raw: string | null | undefined) => string {
  const { t } = useTranslation();
  return useCallback(
    (raw) => displayName(raw, { anonymous: t('list.anonymous'), visitorTag: t('names.visitorTag'), ownLabels: [t('pane.you'), t('sidebar.you')] }),
    [t],
  );
}
