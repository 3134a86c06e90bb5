import { Link } from 'react-router';
import type { Home } from '../../../../common/api.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { useOpenConflictCounts } from '../../components/use-open-conflicts.ts';
import { formatNumber, formatPercent } from '../../format.ts';

type DirectorHome = NonNullable<Home['director']>;
type Program = DirectorHome['programs'][number];

export function DirectorSection({ director, eyebrow }: { director: DirectorHome; eyebrow?: string }) {
  const openConflicts = useOpenConflictCounts();
  return (
    <Section
      eyebrow={eyebrow}
      title={director.programs.length === 1 ? 'Your program' : 'Your programs'}
      intro={<p>Every student needs a mentor who does not assess them. Unpaired students are waiting for a match.</p>}
    >
      {director.programs.length === 0 ? (
        <Card className="empty-state">
          <h3>You do not direct a program yet</h3>
          <p>An administrator can add you as the director of a program.</p>
        </Card>
      ) : (
        director.programs.map((program) => (
          <ProgramCard key={program.id} program={program} openConflicts={openConflicts?.get(program.id) ?? 0} />
        ))
      )}
    </Section>
  );
}

function ProgramCard({ program, openConflicts }: { program: Program; openConflicts: number }) {
  const totals = program.cohorts.reduce(
    (sum, cohort) => ({
      students: sum.students + cohort.students,
      paired: sum.paired + cohort.paired,
      unpaired: sum.unpaired + cohort.unpaired,
    }),
    { students: 0, paired: 0, unpaired: 0 },
  );
  const headingId = `program-${program.id}`;
  return (
    <Card as="article" className="program-card" labelledBy={headingId}>
      <h3 id={headingId}>{program.name}</h3>
      {openConflicts > 0 && (
        <Alert
          tone="warning"
          title={
            openConflicts === 1
              ? '1 pair needs your decision: its mentor now assesses the student.'
              : `${openConflicts} pairs need your decision: their mentors now assess the students.`
          }
        >
          <p>
            <Link to={`/conflicts?program=${program.id}`}>Review the conflict queue</Link>
          </p>
        </Alert>
      )}
      <StatGrid label={`${program.name} at a glance`}>
        <StatTile label="Students" value={totals.students} />
        <StatTile
          label="Paired"
          value={totals.paired}
          tone="positive"
          hint={`${formatPercent(totals.paired, totals.students)} of students`}
        />
        <StatTile
          label="Unpaired"
          value={totals.unpaired}
          tone={totals.unpaired > 0 ? 'attention' : 'neutral'}
          hint={totals.unpaired > 0 ? 'Waiting for a mentor' : 'Everyone has a mentor'}
        />
        <StatTile label="Mentors" value={program.mentorCount} />
      </StatGrid>
      {program.cohorts.length === 0 ? (
        <p className="muted">No cohort has been enrolled in this program yet.</p>
      ) : (
        <TableFrame label={`Cohorts in ${program.name}`}>
          <table className="data-table">
            <caption>Cohorts in {program.name}</caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col" className="numeric">
                  Students
                </th>
                <th scope="col" className="numeric">
                  Paired
                </th>
                <th scope="col" className="numeric">
                  Unpaired
                </th>
                <th scope="col" className="hide-narrow">
                  Coverage
                </th>
              </tr>
            </thead>
            <tbody>
              {program.cohorts.map((cohort) => (
                <tr key={cohort.id}>
                  <th scope="row" className="nowrap">
                    {cohort.name}
                  </th>
                  <td className="numeric">{formatNumber(cohort.students)}</td>
                  <td className="numeric">{formatNumber(cohort.paired)}</td>
                  <td className="numeric">
                    {cohort.unpaired > 0 ? (
                      <span className="count-attention">{formatNumber(cohort.unpaired)}</span>
                    ) : (
                      formatNumber(cohort.unpaired)
                    )}
                  </td>
                  <td className="hide-narrow">
                    <Coverage paired={cohort.paired} students={cohort.students} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Card>
  );
}

function Coverage({ paired, students }: { paired: number; students: number }) {
  const share = students === 0 ? 0 : Math.min(1, paired / students);
  return (
    <span className="coverage">
      <span className="coverage-bar" aria-hidden="true">
        <span className="coverage-fill" style={{ width: `${share * 100}%` }} />
      </span>
      <span className="coverage-label">{formatPercent(paired, students)}</span>
    </span>
  );
}
