import { useRef } from 'react';
import { Outlet } from 'react-router';
import { Brand } from './Brand.tsx';
import { SiteFooter } from './Layout.tsx';
import { MAIN_ID, SkipLink } from './SkipLink.tsx';
import { useFocusOnNavigate } from './use-focus-on-navigate.ts';

/** The frame of the pages people see before they sign in: one centred panel. */
export function AuthLayout() {
  const mainRef = useRef<HTMLElement>(null);
  useFocusOnNavigate(mainRef);
  return (
    <div className="app-shell auth-shell">
      <SkipLink />
      <header className="site-header site-header-plain">
        <div className="container site-header-inner">
          <Brand />
        </div>
      </header>
      <main id={MAIN_ID} ref={mainRef} tabIndex={-1} className="site-main auth-main">
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}
