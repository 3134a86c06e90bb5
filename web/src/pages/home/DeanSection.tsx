import type { Home } from '../../../../common/api.ts';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';

type DeanHome = NonNullable<Home['dean']>;

export function DeanSection({ dean, eyebrow }: { dean: DeanHome; eyebrow?: string }) {
  return (
    <Section
      eyebrow={eyebrow}
      title="Institution overview"
      intro={
        <p>Reports here cover programs as a whole. Individual mentoring content is never shown to deans or auditors.</p>
      }
    >
      <StatGrid label="Institution at a glance">
        <StatTile label="Students" value={dean.students} />
        <StatTile label="Faculty" value={dean.faculty} />
        <StatTile label="Programs" value={dean.programs} />
        <StatTile label="Active pairings" value={dean.activePairings} tone="positive" />
      </StatGrid>
    </Section>
  );
}
