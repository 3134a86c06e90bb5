import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { describeRoles, initials } from '../format.ts';
import { useMe, useSession } from '../session/session-context.ts';

/**
 * A disclosure rather than an ARIA menu: it holds details and one button, and plain Tab order
 * is what keyboard users expect for that.
 */
export function UserMenu() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const panelId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOnOutside = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const closeOnFocusOut = (event: FocusEvent) => {
      if (event.relatedTarget && !containerRef.current?.contains(event.relatedTarget as Node)) setOpen(false);
    };
    const container = containerRef.current;
    document.addEventListener('pointerdown', closeOnOutside);
    document.addEventListener('keydown', closeOnEscape);
    container?.addEventListener('focusout', closeOnFocusOut);
    return () => {
      document.removeEventListener('pointerdown', closeOnOutside);
      document.removeEventListener('keydown', closeOnEscape);
      container?.removeEventListener('focusout', closeOnFocusOut);
    };
  }, [open]);

  const handleSignOut = async () => {
    setSigningOut(true);
    setError(null);
    try {
      await signOut();
      navigate('/sign-in', { replace: true });
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'We could not sign you out. Please try again.');
      setSigningOut(false);
    }
  };

  return (
    <div className="user-menu" ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(me.name)}
        </span>
        <span className="user-menu-name">{me.name}</span>
        <span className="visually-hidden">, your account</span>
        <svg className="chevron" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="m6 9 6 6 6-6" />
        </svg>
      </button>
      <div className="user-menu-panel" id={panelId} hidden={!open}>
        <p className="user-menu-fullname">{me.name}</p>
        <p className="user-menu-email">{me.email}</p>
        <p className="user-menu-institution">{me.institution.name}</p>
        <ul className="role-list" aria-label="Your roles">
          {describeRoles(me).map((role) => (
            <li key={role}>{role}</li>
          ))}
        </ul>
        <div aria-live="assertive">{error && <p className="user-menu-error">{error}</p>}</div>
        <button
          type="button"
          className="button button-secondary button-block"
          onClick={handleSignOut}
          disabled={signingOut}
        >
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </div>
  );
}
