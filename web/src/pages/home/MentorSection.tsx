import type { Home } from '../../../../common/api.ts';
import { Card } from '../../components/Card.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDate, humanize } from '../../format.ts';

type MentorHome = NonNullable<Home['mentor']>;

export function MentorSection({ mentor, eyebrow }: { mentor: MentorHome; eyebrow?: string }) {
  const count = mentor.mentees.length;
  return (
    <Section
      eyebrow={eyebrow}
      title="Your mentees"
      intro={
        count > 0 && (
          <p>
            You mentor {count} {count === 1 ? 'student' : 'students'}. None of them is someone you assess.
          </p>
        )
      }
    >
      {count === 0 ? (
        <Card className="empty-state">
          <h3>You have no mentees yet</h3>
          <p>When your program director pairs students with you, they will be listed here.</p>
        </Card>
      ) : (
        <TableFrame label="Table of your mentees">
          <table className="data-table">
            <caption className="visually-hidden">Your mentees</caption>
            <thead>
              <tr>
                <th scope="col">Mentee</th>
                <th scope="col" className="hide-narrow">
                  Program
                </th>
                <th scope="col" className="hide-narrow">
                  Cohort
                </th>
                <th scope="col" className="hide-narrow">
                  Phase
                </th>
                <th scope="col" className="hide-narrow">
                  Pairing
                </th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {mentor.mentees.map((mentee) => (
                <tr key={`${mentee.id}-${mentee.programName}-${mentee.kind}`}>
                  <th scope="row">
                    <span className="cell-primary">{mentee.name}</span>
                    <a className="cell-secondary email-cell" href={`mailto:${mentee.email}`}>
                      {mentee.email}
                    </a>
                    {/* On a phone the hidden columns are summarised here instead. */}
                    <span className="cell-secondary show-narrow">
                      {[mentee.cohort, mentee.phase, mentee.programName].filter(Boolean).join(' · ')}
                    </span>
                  </th>
                  <td className="hide-narrow">{mentee.programName}</td>
                  <td className="nowrap hide-narrow">{mentee.cohort}</td>
                  <td className="nowrap hide-narrow">{mentee.phase ?? '—'}</td>
                  <td className="hide-narrow">{humanize(mentee.kind)}</td>
                  <td className="nowrap">{formatDate(mentee.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}
