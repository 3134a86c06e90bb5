import { createBrowserRouter } from 'react-router';
import { AuthLayout } from './components/AuthLayout.tsx';
import { CrashPage } from './components/CrashPage.tsx';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { SessionGate } from './components/SessionGate.tsx';
import { SessionLayout } from './components/SessionLayout.tsx';
import { AccessLogPage } from './pages/access-log/AccessLogPage.tsx';
import { ProgramAccessLogPage } from './pages/access-log/ProgramAccessLogPage.tsx';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage.tsx';
import { SignInPage } from './pages/auth/SignInPage.tsx';
import { AssessmentsPage } from './pages/firewall/AssessmentsPage.tsx';
import { ConflictsPage } from './pages/firewall/ConflictsPage.tsx';
import { ExclusionsPage } from './pages/firewall/ExclusionsPage.tsx';
import { MyMentorshipPage } from './pages/firewall/MyMentorshipPage.tsx';
import { PairingsPage } from './pages/firewall/PairingsPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { MeetingPage } from './pages/meetings/MeetingPage.tsx';
import { NotificationSettingsPage } from './pages/notifications/NotificationSettingsPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { DevelopmentPlanPage } from './pages/plans/DevelopmentPlanPage.tsx';
import { NotFoundPage } from './pages/not-found/NotFoundPage.tsx';

export const router = createBrowserRouter([
  {
    element: <SessionGate />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <AuthLayout />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
        ],
      },
      {
        element: (
          <RequireAuth>
            <Layout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomePage /> },
          { path: 'access-log', element: <AccessLogPage /> },
          { path: 'my-mentorship', element: <MyMentorshipPage /> },
          { path: 'pairings', element: <PairingsPage /> },
          { path: 'conflicts', element: <ConflictsPage /> },
          { path: 'exclusions', element: <ExclusionsPage /> },
          { path: 'assessments', element: <AssessmentsPage /> },
          { path: 'program-access-log', element: <ProgramAccessLogPage /> },
          { path: 'meetings/:meetingId', element: <MeetingPage /> },
          { path: 'plan', element: <DevelopmentPlanPage /> },
          { path: 'students/:studentId/plan', element: <DevelopmentPlanPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'settings/notifications', element: <NotificationSettingsPage /> },
        ],
      },
      {
        element: <SessionLayout />,
        children: [{ path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
]);
