import { useRef } from 'react';
import { NavLink, Outlet } from 'react-router';
import { hasRole } from '../format.ts';
import { useMe } from '../session/session-context.ts';
import { Brand } from './Brand.tsx';
import { MAIN_ID, SkipLink } from './SkipLink.tsx';
import { UserMenu } from './UserMenu.tsx';
import { useFocusOnNavigate } from './use-focus-on-navigate.ts';

/** The frame of every signed-in page. */
export function Layout() {
  const me = useMe();
  const mainRef = useRef<HTMLElement>(null);
  useFocusOnNavigate(mainRef);

  const links = [{ to: '/', label: 'Home', end: true }];
  if (hasRole(me, 'student')) links.push({ to: '/access-log', label: 'Who viewed my records', end: false });

  return (
    <div className="app-shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header-inner">
          <div className="site-header-brand">
            <Brand />
            <span className="institution-name">{me.institution.name}</span>
          </div>
          <nav className="site-nav" aria-label="Main">
            <ul>
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.end} className="site-nav-link">
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <UserMenu />
        </div>
      </header>
      <main id={MAIN_ID} ref={mainRef} tabIndex={-1} className="site-main">
        <div className="container">
          <Outlet />
        </div>
      </main>
      <SiteFooter />
    </div>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container site-footer-inner">
        <p>
          Mentoring is ungraded. What you discuss with your mentor never reaches the people who assess you, and every
          view of a student's records is logged.
        </p>
      </div>
    </footer>
  );
}
