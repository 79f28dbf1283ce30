import { useEffect, useRef } from 'react';

export interface InboxKeyActions {
  /** A dialog is open: only the global combinations work. */
  blocked: boolean;
  search: () => void;
  settings: () => void;
  leave: () => void;
  move: (delta: number) => void;
  open: () => void;
  reply: () => void;
  resolve: () => void;
  close: () => void;
  help: () => void;
}

const isTextField = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** The inbox's keyboard shortcuts (the sheet behind "?" lists them; each has a visible control too). */
export function useInboxKeys(actions: InboxKeyActions): void {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const a = ref.current;
      if (event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        a.search();
        return;
      }
      if ((event.ctrlKey || event.metaKey) && event.key === ',') {
        event.preventDefault();
        a.settings();
        return;
      }
      if (a.blocked) return;
      if (event.key === 'Escape') {
        if (isTextField(event.target)) (event.target as HTMLElement).blur();
        else a.leave();
        return;
      }
      if (isTextField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      // A focused button or link keeps Enter and Space for itself.
      if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof HTMLElement && event.target.closest('button, a, [role="button"]')) return;
      const keys: Record<string, () => void> = {
        j: () => a.move(1),
        ArrowDown: () => a.move(1),
        k: () => a.move(-1),
        ArrowUp: () => a.move(-1),
        Enter: a.open,
        r: a.reply,
        e: a.resolve,
        c: a.close,
        '?': a.help,
      };
      const action = keys[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
