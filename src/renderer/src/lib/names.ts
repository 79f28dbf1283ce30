// The renderer's door to the shared display-neutralising function: visitor names and one-line
// texts (list previews, search snippets) shown the same way in every component.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { displayName, displayText, type DisplayNameTexts } from '../../../shared/display-text';

export { displayText };

/** Names remembered per language: a list shows the same names again on every render and scroll. */
const CACHED_NAMES = 2000;

/** displayName with one language's texts, remembering the names it has shown. */
function rememberingDisplayName(texts: DisplayNameTexts): (raw: string | null | undefined) => string {
  const shown = new Map<string, string>();
  return (raw) => {
    const key = raw ?? '';
    let name = shown.get(key);
    if (name === undefined) {
      if (shown.size >= CACHED_NAMES) shown.clear();
      shown.set(key, (name = displayName(raw, texts)));
    }
    return name;
  };
}

/** `name(raw)`: the visitor's name as shown everywhere in this language. */
export function useVisitorName(): (raw: string | null | undefined) => string {
  const { t } = useTranslation();
  // The texts are looked up once per language, not four t() calls a name (twice a row in the
  // inbox list: the largest part of the list's first render in a fresh window, bench ui).
  return useMemo(() => rememberingDisplayName({ anonymous: t('list.anonymous'), visitorTag: t('names.visitorTag'), ownLabels: [t('pane.you'), t('sidebar.you')] }), [t]);
}
