import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { formatNumber, hasRole } from '../format.ts';
import { useMe } from '../session/session-context.ts';
import { Brand } from './Brand.tsx';
import { MAIN_ID, SkipLink } from './SkipLink.tsx';
import { UserMenu } from './UserMenu.tsx';
import { useFocusOnNavigate } from './use-focus-on-navigate.ts';
import { totalOf, useOpenConflictCounts } from './use-open-conflicts.ts';
import { useUnreadNotifications } from './use-unread-notifications.ts';
import { useUnacknowledgedAlerts } from '../pages/early-warning/use-alert-counts.ts';
import { useUnreadMessages } from '../pages/messages/use-unread-messages.ts';
import { canAuditPrograms, canManagePrograms } from './use-program-choice.ts';

interface NavItem {
  to: string;
  label: string;
  end: boolean;
  /** A count that needs attention, read after the label ("Conflicts 1 open"). */
  badge?: { count: number; label: string };
}

/** A labelled set of links in the navigation; `label` null for the first, unlabelled set. */
interface NavGroup {
  id: string;
  label: string | null;
  items: NavItem[];
}

/** The frame of every signed-in page: header, the navigation grouped by purpose, the page. */
export function Layout() {
  const me = useMe();
  const mainRef = useRef<HTMLElement>(null);
  useFocusOnNavigate(mainRef);
  const { pathname } = useLocation();

  const openConflicts = totalOf(useOpenConflictCounts());
  const unread = useUnreadNotifications();
  const newAlerts = useUnacknowledgedAlerts();
  const unreadMessages = useUnreadMessages();

  const student = hasRole(me, 'student');
  const mentor = hasRole(me, 'mentor');
  const manager = canManagePrograms(me);
  const auditor = canAuditPrograms(me);

  const general: NavItem[] = [
    { to: '/', label: 'Home', end: true },
    {
      to: '/notifications',
      label: 'Notifications',
      end: true,
      badge: unread > 0 ? { count: unread, label: 'unread' } : undefined,
    },
  ];

  const mentoring: NavItem[] = [];
  if (student || mentor) mentoring.push({ to: '/my-mentorship', label: 'My mentorship', end: false });
  if (student || mentor)
    mentoring.push({
      to: '/messages',
      label: 'Messages',
      end: false,
      badge: unreadMessages > 0 ? { count: unreadMessages, label: 'unread' } : undefined,
    });
  if (student) {
    mentoring.push(
      { to: '/plan', label: 'Development plan', end: false },
      { to: '/records', label: 'My records', end: false },
      { to: '/wellbeing', label: 'Wellbeing check-in', end: true },
    );
  }
  if (mentor) {
    mentoring.push({
      to: '/alerts',
      label: 'Alerts',
      end: false,
      badge: newAlerts > 0 ? { count: newAlerts, label: 'new' } : undefined,
    });
  }
  // Anonymous questions and feedback surveys (pages/questions, pages/surveys).
  if (student) mentoring.push({ to: '/questions', label: 'Ask anonymously', end: true });
  if (mentor) mentoring.push({ to: '/questions/answer', label: 'Anonymous questions', end: true });
  if (student || mentor) mentoring.push({ to: '/surveys', label: 'Feedback surveys', end: false });
  if (student) mentoring.push({ to: '/access-log', label: 'Who viewed my records', end: false });
  if (student) mentoring.push({ to: '/my-escalations', label: 'Safety escalations about me', end: true });
  if (hasRole(me, 'wellbeing'))
    mentoring.push({ to: '/wellbeing-inbox', label: 'Safety escalations for me', end: true });
  if (student) mentoring.push({ to: '/mentorship/what-my-mentor-sees', label: 'What my mentor sees', end: true });
  if (student) mentoring.push({ to: '/mentorship/change', label: 'Change of mentor', end: true });
  if (mentor) mentoring.push({ to: '/mentorship/earlier-meetings', label: 'From earlier pairings', end: true });
  if (mentor) mentoring.push({ to: '/mentorship/end-request', label: 'End a pairing', end: true });

  const program: NavItem[] = [];
  if (manager) {
    program.push(
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
      { to: '/early-warning', label: 'Early warning', end: true },
      { to: '/responsiveness', label: 'Responsiveness', end: true },
      { to: '/meeting-requirements', label: 'Meeting requirements', end: true },
      { to: '/mentor-readiness', label: 'Mentor readiness', end: true },
    );
  }
  if (hasRole(me, 'director')) program.push({ to: '/program-lexicon', label: 'Theme lexicon', end: true });
  if (hasRole(me, 'director')) program.push({ to: '/program/mentor-changes', label: 'Mentor changes', end: true });
  if (auditor) program.push({ to: '/compliance', label: 'Compliance', end: true });
  if (manager) {
    program.push(
      { to: '/compensation', label: 'Compensation', end: false },
      { to: '/questions/moderate', label: 'Moderate questions', end: true },
      { to: '/program-surveys', label: 'Surveys', end: true },
    );
  }
  if (auditor) program.push({ to: '/program-access-log', label: 'Access audit', end: false });
  if (auditor) program.push({ to: '/safety', label: 'Safety escalations', end: true });

  const yours: NavItem[] = [];
  if (student || mentor) yours.push({ to: '/matching-profile', label: 'Matching profile', end: true });
  if (mentor) {
    yours.push(
      { to: '/settings/availability', label: 'Availability', end: true },
      { to: '/my-compensation', label: 'My compensation', end: true },
      { to: '/my-portfolio', label: 'My portfolio', end: true },
      { to: '/readiness', label: 'My readiness', end: true },
    );
  }
  yours.push({ to: '/settings/security', label: 'Security', end: true });
  if (hasRole(me, 'admin')) yours.push({ to: '/settings/sign-in', label: 'Sign-in settings', end: true });

  const groups: NavGroup[] = [
    { id: 'nav-general', label: null, items: general },
    { id: 'nav-mentoring', label: 'Mentoring', items: mentoring },
    { id: 'nav-program', label: 'Program office', items: program },
    { id: 'nav-yours', label: 'Your account', items: yours },
  ].filter((group) => group.items.length > 0);

  // On narrow screens the navigation folds behind a Menu button; it folds again on each new page.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }
  useEffect(() => {
    if (!menuOpen) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    document.addEventListener('keydown', closeOnEscape);
    return () => document.removeEventListener('keydown', closeOnEscape);
  }, [menuOpen]);
  const attention = openConflicts + unread + newAlerts + unreadMessages;

  return (
    <div className="app-shell">
      <SkipLink />
      <header className="site-header">
        <div className="site-header-inner">
          <div className="site-header-brand">
            <Brand />
            <span className="institution-name">{me.institution.name}</span>
          </div>
          <button
            type="button"
            ref={menuButton}
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
            {attention > 0 && (
              <span className="nav-badge">
                {formatNumber(attention)}
                <span className="visually-hidden"> need attention</span>
              </span>
            )}
          </button>
          <UserMenu />
        </div>
      </header>
      <div className="app-body">
        <nav id="site-nav" className={menuOpen ? 'site-nav site-nav-open' : 'site-nav'} aria-label="Main">
          {groups.map((group) => (
            <div key={group.id} className="site-nav-group">
              {group.label && (
                <span id={group.id} className="site-nav-heading">
                  {group.label}
                </span>
              )}
              <ul {...(group.label ? { 'aria-labelledby': group.id } : {})}>
                {group.items.map((link) => (
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
            </div>
          ))}
        </nav>
        <main id={MAIN_ID} ref={mainRef} tabIndex={-1} className="site-main">
          <Outlet />
        </main>
      </div>
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
