import { useEffect, useState } from 'react';
import { api } from '../api';
import { logFailure } from '../lib/errors';

/** 'electron' in the desktop app, 'web' in browser mode; null until the core has said. */
export function useAppMode(): 'electron' | 'web' | null {
  const [mode, setMode] = useState<'electron' | 'web' | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .invoke('app.info')
      .then((info) => live && setMode(info.mode))
      .catch((e: unknown) => logFailure('app.info', e));
    return () => {
      live = false;
    };
  }, []);
  return mode;
}
