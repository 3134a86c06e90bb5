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
import { SecondFactorPage } from './pages/auth/SecondFactorPage.tsx';
import { SecurityPage } from './pages/settings-security/SecurityPage.tsx';
import { SignInSettingsPage } from './pages/settings-security/SignInSettingsPage.tsx';
import { AssessmentsPage } from './pages/firewall/AssessmentsPage.tsx';
import { ConflictsPage } from './pages/firewall/ConflictsPage.tsx';
import { ExclusionsPage } from './pages/firewall/ExclusionsPage.tsx';
import { MyMentorshipPage } from './pages/firewall/MyMentorshipPage.tsx';
import { PairingsPage } from './pages/firewall/PairingsPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { AvailabilityPage } from './pages/meetings/AvailabilityPage.tsx';
import { MeetingPage } from './pages/meetings/MeetingPage.tsx';
import { MatchingProfilePage } from './pages/matching/MatchingProfilePage.tsx';
import { MatchingRoundPage } from './pages/matching/MatchingRoundPage.tsx';
import { ProgramMatchingPage } from './pages/matching/ProgramMatchingPage.tsx';
import { NotificationSettingsPage } from './pages/notifications/NotificationSettingsPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { DevelopmentPlanPage } from './pages/plans/DevelopmentPlanPage.tsx';
import { MyRecordsPage } from './pages/records/MyRecordsPage.tsx';
import { RecordImportPage } from './pages/records/RecordImportPage.tsx';
import { RecordSharingPage } from './pages/records/RecordSharingPage.tsx';
import { CompliancePage } from './pages/compliance/CompliancePage.tsx';
import { NotFoundPage } from './pages/not-found/NotFoundPage.tsx';
import { AnswerQueuePage } from './pages/questions/AnswerQueuePage.tsx';
import { ModerationPage } from './pages/questions/ModerationPage.tsx';
import { PrivateQuestionPage } from './pages/questions/PrivateQuestionPage.tsx';
import { QuestionsPage } from './pages/questions/QuestionsPage.tsx';
import { ProgramSurveysPage } from './pages/surveys/ProgramSurveysPage.tsx';
import { SurveyResultsPage } from './pages/surveys/SurveyResultsPage.tsx';
import { SurveysPage } from './pages/surveys/SurveysPage.tsx';
import { AlertInboxPage } from './pages/early-warning/AlertInboxPage.tsx';
import { AlertPage } from './pages/early-warning/AlertPage.tsx';
import { EarlyWarningSettingsPage } from './pages/early-warning/EarlyWarningSettingsPage.tsx';
import { WellbeingPage } from './pages/wellbeing/WellbeingPage.tsx';
import { ChangeMentorPage } from './pages/pairing-changes/ChangeMentorPage.tsx';
import { ChangeQueuePage } from './pages/pairing-changes/ChangeQueuePage.tsx';
import { EarlierMeetingsPage } from './pages/pairing-changes/EarlierMeetingsPage.tsx';
import { EndPairingRequestPage } from './pages/pairing-changes/EndPairingRequestPage.tsx';
import { WhatMyMentorSeesPage } from './pages/transparency/WhatMyMentorSeesPage.tsx';
import { LexiconPage } from './pages/review/LexiconPage.tsx';
import { ReviewPage } from './pages/review/ReviewPage.tsx';
import { CompensationPage } from './pages/compensation/CompensationPage.tsx';
import { MyCompensationPage, MyPortfolioPage } from './pages/compensation/MyCompensationPage.tsx';
import { StipendRulesPage } from './pages/compensation/StipendRulesPage.tsx';
import { MessagesPage } from './pages/messages/MessagesPage.tsx';
import { ResponsivenessPage } from './pages/messages/ResponsivenessPage.tsx';
import { ThreadPage } from './pages/messages/ThreadPage.tsx';
import { MeetingRequirementsPage } from './pages/program-requirements/MeetingRequirementsPage.tsx';
import { MyReadinessPage } from './pages/readiness/MyReadinessPage.tsx';
import { ProgramReadinessPage } from './pages/readiness/ProgramReadinessPage.tsx';
import { EscalatePage } from './pages/safety/EscalatePage.tsx';
import { EscalationPage } from './pages/safety/EscalationPage.tsx';
import { MyEscalationsPage } from './pages/safety/MyEscalationsPage.tsx';
import { SafetyProgramPage } from './pages/safety/SafetyProgramPage.tsx';
import { WellbeingInboxPage } from './pages/safety/WellbeingInboxPage.tsx';

export const router = createBrowserRouter([
  {
    element: <SessionGate />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <AuthLayout />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'sign-in/second-factor', element: <SecondFactorPage /> },
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
          { path: 'questions', element: <QuestionsPage /> },
          { path: 'questions/private', element: <PrivateQuestionPage /> },
          { path: 'questions/answer', element: <AnswerQueuePage /> },
          { path: 'questions/moderate', element: <ModerationPage /> },
          { path: 'surveys', element: <SurveysPage /> },
          { path: 'surveys/:surveyId/results', element: <SurveyResultsPage /> },
          { path: 'program-surveys', element: <ProgramSurveysPage /> },
          { path: 'access-log', element: <AccessLogPage /> },
          { path: 'my-mentorship', element: <MyMentorshipPage /> },
          { path: 'messages', element: <MessagesPage /> },
          { path: 'messages/:pairingId', element: <ThreadPage /> },
          { path: 'responsiveness', element: <ResponsivenessPage /> },
          { path: 'mentorship/change', element: <ChangeMentorPage /> },
          { path: 'mentorship/end-request', element: <EndPairingRequestPage /> },
          { path: 'mentorship/earlier-meetings', element: <EarlierMeetingsPage /> },
          { path: 'mentorship/what-my-mentor-sees', element: <WhatMyMentorSeesPage /> },
          { path: 'program/mentor-changes', element: <ChangeQueuePage /> },
          { path: 'pairings', element: <PairingsPage /> },
          { path: 'conflicts', element: <ConflictsPage /> },
          { path: 'exclusions', element: <ExclusionsPage /> },
          { path: 'assessments', element: <AssessmentsPage /> },
          { path: 'program-access-log', element: <ProgramAccessLogPage /> },
          { path: 'compliance', element: <CompliancePage /> },
          { path: 'meetings/:meetingId', element: <MeetingPage /> },
          { path: 'plan', element: <DevelopmentPlanPage /> },
          { path: 'students/:studentId/plan', element: <DevelopmentPlanPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'records', element: <MyRecordsPage /> },
          { path: 'records/sharing', element: <RecordSharingPage /> },
          { path: 'record-imports', element: <RecordImportPage /> },
          { path: 'settings/notifications', element: <NotificationSettingsPage /> },
          { path: 'settings/security', element: <SecurityPage /> },
          { path: 'settings/sign-in', element: <SignInSettingsPage /> },
          { path: 'settings/availability', element: <AvailabilityPage /> },
          { path: 'matching-profile', element: <MatchingProfilePage /> },
          { path: 'matching', element: <ProgramMatchingPage /> },
          { path: 'matching-rounds/:roundId', element: <MatchingRoundPage /> },
          { path: 'pairings/:pairingId/review', element: <ReviewPage /> },
          { path: 'program-lexicon', element: <LexiconPage /> },
          { path: 'alerts', element: <AlertInboxPage /> },
          { path: 'alerts/:alertId', element: <AlertPage /> },
          { path: 'wellbeing', element: <WellbeingPage /> },
          { path: 'early-warning', element: <EarlyWarningSettingsPage /> },
          { path: 'meeting-requirements', element: <MeetingRequirementsPage /> },
          { path: 'compensation', element: <CompensationPage /> },
          { path: 'compensation/rules', element: <StipendRulesPage /> },
          { path: 'my-compensation', element: <MyCompensationPage /> },
          { path: 'my-portfolio', element: <MyPortfolioPage /> },
          { path: 'readiness', element: <MyReadinessPage /> },
          { path: 'mentor-readiness', element: <ProgramReadinessPage /> },
          { path: 'pairings/:pairingId/escalate', element: <EscalatePage /> },
          { path: 'wellbeing-inbox', element: <WellbeingInboxPage /> },
          { path: 'escalations/:escalationId', element: <EscalationPage /> },
          { path: 'my-escalations', element: <MyEscalationsPage /> },
          { path: 'safety', element: <SafetyProgramPage /> },
        ],
      },
      {
        element: <SessionLayout />,
        children: [{ path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
]);
