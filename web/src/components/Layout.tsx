import { useRef } from 'react';
import { NavLink, Outlet } from 'react-router';
import { formatNumber, hasRole } from '../format.ts';
import { useMe } from '../session/session-context.ts';
import { Brand } from './Brand.tsx';
import { MAIN_ID, SkipLink } from './SkipLink.tsx';
import { UserMenu } from './UserMenu.tsx';
import { useFocusOnNavigate } from './use-focus-on-navigate.ts';
import { totalOf, useOpenConflictCounts } from './use-open-conflicts.ts';
import { useUnreadNotifications } from './use-unread-notifications.ts';
import { useUnacknowledgedAlerts } from '../pages/early-warning/use-alert-counts.ts';
import { canAuditPrograms, canManagePrograms } from './use-program-choice.ts';

interface NavItem {
  to: string;
  label: string;
  end: boolean;
  /** A count that needs attention, read after the label ("Conflicts 1 open"). */
  badge?: { count: number; label: string };
}

/** The frame of every signed-in page. */
export function Layout() {
  const me = useMe();
  const mainRef = useRef<HTMLElement>(null);
  useFocusOnNavigate(mainRef);

  const openConflicts = totalOf(useOpenConflictCounts());
  const unread = useUnreadNotifications();
  const newAlerts = useUnacknowledgedAlerts();

  const links: NavItem[] = [{ to: '/', label: 'Home', end: true }];
  if (hasRole(me, 'student') || hasRole(me, 'mentor')) {
    links.push({ to: '/my-mentorship', label: 'My mentorship', end: false });
    links.push({ to: '/matching-profile', label: 'Matching profile', end: true });
  }
  if (hasRole(me, 'mentor')) links.push({ to: '/settings/availability', label: 'Availability', end: true });
  if (hasRole(me, 'mentor')) {
    links.push({
      to: '/alerts',
      label: 'Alerts',
      end: false,
      badge: newAlerts > 0 ? { count: newAlerts, label: 'new' } : undefined,
    });
  }
  if (hasRole(me, 'student')) links.push({ to: '/wellbeing', label: 'Wellbeing check-in', end: true });
  if (hasRole(me, 'student')) {
    links.push(
      { to: '/plan', label: 'Development plan', end: false },
      { to: '/records', label: 'My records', end: false },
      { to: '/access-log', label: 'Who viewed my records', end: false },
    );
  }
  if (canManagePrograms(me)) {
    links.push(
      { to: '/pairings', label: 'Pairings', end: false },
      {
        to: '/conflicts',
        label: 'Conflicts',
        end: false,
        badge: openConflicts > 0 ? { count: openConflicts, label: 'open' } : undefined,
      },
      { to: '/exclusions', label: 'Exclusions', end: false },
      { to: '/matching', label: 'Matching', end: true },
      { to: '/assessments', label: 'Assessments', end: false },
      { to: '/record-imports', label: 'Record imports', end: false },
    );
    links.push({ to: '/early-warning', label: 'Early warning', end: true });
  }
  if (hasRole(me, 'director')) links.push({ to: '/program-lexicon', label: 'Theme lexicon', end: true });
  if (canAuditPrograms(me)) links.push({ to: '/program-access-log', label: 'Access audit', end: false });
  if (canAuditPrograms(me)) links.push({ to: '/compliance', label: 'Compliance', end: true });
  if (canManagePrograms(me)) links.push({ to: '/compensation', label: 'Compensation', end: false });
  if (hasRole(me, 'mentor')) {
    links.push({ to: '/my-compensation', label: 'My compensation', end: true });
    links.push({ to: '/my-portfolio', label: 'My portfolio', end: true });
  }
  if (hasRole(me, 'admin')) links.push({ to: '/settings/sign-in', label: 'Sign-in settings', end: true });
  // Anonymous questions and feedback surveys (pages/questions, pages/surveys).
  if (hasRole(me, 'student')) links.push({ to: '/questions', label: 'Ask anonymously', end: true });
  if (hasRole(me, 'mentor')) links.push({ to: '/questions/answer', label: 'Anonymous questions', end: true });
  if (canManagePrograms(me)) {
    links.push(
      { to: '/questions/moderate', label: 'Moderate questions', end: true },
      { to: '/program-surveys', label: 'Surveys', end: true },
    );
  }
  if (hasRole(me, 'student') || hasRole(me, 'mentor'))
    links.push({ to: '/surveys', label: 'Feedback surveys', end: false });
  links.push({ to: '/settings/security', label: 'Security', end: true });
  links.push({
    to: '/notifications',
    label: 'Notifications',
    end: true,
    badge: unread > 0 ? { count: unread, label: 'unread' } : undefined,
  });

  return (
    <div className="app-shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header-inner">
          <div className="site-header-brand">
            <Brand />
            <span className="institution-name">{me.institution.name}</span>
          </div>
          {/* Beyond two destinations the links get a row of their own instead of wrapping beside the logo. */}
          <nav className={links.length > 2 ? 'site-nav site-nav-row' : 'site-nav'} aria-label="Main">
            <ul>
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.end} className="site-nav-link">
                    {link.label}
                    {link.badge && (
                      <span className="nav-badge">
                        {formatNumber(link.badge.count)}
                        <span className="visually-hidden"> {link.badge.label}</span>
                      </span>
                    )}
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
