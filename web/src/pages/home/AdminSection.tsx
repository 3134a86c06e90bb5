import type { Home } from '../../../../common/api.ts';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';

type AdminHome = NonNullable<Home['admin']>;

export function AdminSection({ admin, eyebrow }: { admin: AdminHome; eyebrow?: string }) {
  return (
    <Section
      eyebrow={eyebrow}
      title="Administration"
      intro={<p>People, programs and cohorts set up in your institution, and the integrations allowed to send data.</p>}
    >
      <StatGrid label="Administration at a glance">
        <StatTile label="Students" value={admin.students} />
        <StatTile label="Faculty" value={admin.faculty} />
        <StatTile label="Programs" value={admin.programs} />
        <StatTile label="Cohorts" value={admin.cohorts} />
        <StatTile label="Active API tokens" value={admin.activeApiTokens} hint="Registrar, LMS and scheduling links" />
      </StatGrid>
    </Section>
  );
}
