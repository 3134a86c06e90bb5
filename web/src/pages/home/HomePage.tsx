import { ROLE_LABELS, type Home } from '../../../../common/api.ts';
import { fetchHome } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { describeRoles, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { AdminSection } from './AdminSection.tsx';
import { AssessorSection } from './AssessorSection.tsx';
import { DeanSection } from './DeanSection.tsx';
import { DirectorSection } from './DirectorSection.tsx';
import { MentorSection } from './MentorSection.tsx';
import { StudentSection } from './StudentSection.tsx';
import { WellbeingHomeSection } from '../safety/WellbeingHomeSection.tsx';

export function HomePage() {
  const me = useMe();
  const home = useResource(fetchHome);
  return (
    <>
      <PageHeader title={`Welcome, ${me.givenName}`} documentTitle="Home" eyebrow={me.institution.name}>
        <ul className="chip-list" aria-label="Your roles">
          {describeRoles(me).map((role) => (
            <li key={role} className="chip">
              {role}
            </li>
          ))}
        </ul>
      </PageHeader>
      {home.status === 'loading' && <LoadingState label="Loading your home page…" />}
      {home.status === 'failed' && <LoadFailure what="your home page" error={home.error} retry={home.retry} />}
      {home.status === 'loaded' && <HomeSections home={home.data} />}
    </>
  );
}

/** One section per role the user holds, in a fixed order, so a mentor who also assesses sees both. */
function HomeSections({ home }: { home: Home }) {
  const wellbeing = hasRole(useMe(), 'wellbeing');
  const held = [home.student, home.mentor, home.assessor, home.director, home.dean, home.admin, wellbeing].filter(
    Boolean,
  );
  if (held.length === 0) {
    return (
      <Card className="empty-state">
        <h2>Your account has no role yet</h2>
        <p>Ask your program administrator to add you to a program as a student, mentor or staff member.</p>
      </Card>
    );
  }
  // The role label above each heading only helps when there is more than one section to tell apart.
  const eyebrow = (role: keyof typeof ROLE_LABELS) => (held.length > 1 ? ROLE_LABELS[role] : undefined);
  return (
    <div className="home-sections">
      {home.student && <StudentSection student={home.student} eyebrow={eyebrow('student')} />}
      {home.mentor && <MentorSection mentor={home.mentor} eyebrow={eyebrow('mentor')} />}
      {home.assessor && <AssessorSection assessor={home.assessor} eyebrow={eyebrow('assessor')} />}
      {home.director && <DirectorSection director={home.director} eyebrow={eyebrow('director')} />}
      {home.dean && <DeanSection dean={home.dean} eyebrow={eyebrow('dean')} />}
      {home.admin && <AdminSection admin={home.admin} eyebrow={eyebrow('admin')} />}
      {wellbeing && <WellbeingHomeSection eyebrow={eyebrow('wellbeing')} />}
    </div>
  );
}
