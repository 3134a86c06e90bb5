import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  /** Called on Escape and by the dialog's own buttons; the owner sets `open` to false. */
  onClose(): void;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element: the browser keeps focus inside it, makes the
 * page behind it inert and closes it on Escape. Focus starts on the control marked
 * `data-autofocus`, else the first one, and goes back to what opened it, if that is
 * still on the page. Render it before anything that takes focus when it closes (a success
 * message), so it has given focus back by the time that runs.
 */
export function Dialog({ open, title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      // The browser focuses the first control; a dialog can name a safer one (Cancel, before Delete).
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected) back.focus();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React's state close it, so the two never disagree.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
