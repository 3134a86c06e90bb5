import type { Home } from '../../../../common/api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';

type AssessorHome = NonNullable<Home['assessor']>;

export function AssessorSection({ assessor, eyebrow }: { assessor: AssessorHome; eyebrow?: string }) {
  return (
    <Section eyebrow={eyebrow} title="Your assessing">
      <StatGrid label="Your assessing at a glance">
        <StatTile
          label="Active assignments"
          value={assessor.activeAssignments}
          hint="Rotations, courses and committees under way"
        />
        <StatTile label="Students assessed" value={assessor.studentsAssessed} hint="Past, current and scheduled" />
      </StatGrid>
      <Alert tone="info" title="You never see mentoring content.">
        <p>
          Students must be able to speak candidly with their mentors, so nothing said in mentoring reaches the people
          who grade them. As an assessor you will not see meeting notes, reflections, development plans, alerts or
          questions, and you are never paired as a mentor with a student you assess, have assessed or are scheduled to
          assess.
        </p>
      </Alert>
    </Section>
  );
}
