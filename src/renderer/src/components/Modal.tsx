import { useLayoutEffect, useRef, type ReactNode, type KeyboardEvent } from 'react';

interface Props {
  label: string;
  onClose: () => void;
  className?: string;
  /** Whether a click on the backdrop closes it (not for forms the user is filling in). */
  closeOnBackdrop?: boolean;
  children: ReactNode;
}

const focusable = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal <dialog>: the page behind is inert, Tab and Shift+Tab cycle inside it, Escape closes
 * it, and focus goes back to where it was when it opened.
 */
export function Modal({ label, onClose, className, closeOnBackdrop = true, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useLayoutEffect(() => {
    close.current = onClose;
  });

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The first field or button (or the one marked autoFocus) takes focus.
    const first = dialog.querySelector<HTMLElement>('[autofocus], [data-autofocus]') ?? dialog.querySelector<HTMLElement>(focusable);
    first?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      // Close first: while it is modal the rest of the page is inert and cannot take focus back.
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(focusable)].filter((el) => !el.closest('[hidden]'));
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    const at = document.activeElement;
    if (event.shiftKey && (at === first || !ref.current.contains(at))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (at === last || !ref.current.contains(at))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-label={label}
      onKeyDown={onKeyDown}
      // A click on the backdrop lands on the <dialog> itself; clicks inside land on its content.
      onMouseDown={(e) => closeOnBackdrop && e.target === e.currentTarget && onClose()}
    >
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
