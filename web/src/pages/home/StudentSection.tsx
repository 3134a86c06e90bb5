import { useId } from 'react';
import { Link } from 'react-router';
import type { Home } from '../../../../common/api.ts';
import { Card } from '../../components/Card.tsx';
import { Section } from '../../components/Section.tsx';
import { formatDate, humanize, initials } from '../../format.ts';

type StudentHome = NonNullable<Home['student']>;
type Mentor = StudentHome['mentors'][number];

export function StudentSection({ student, eyebrow }: { student: StudentHome; eyebrow?: string }) {
  return (
    <Section eyebrow={eyebrow} title={student.mentors.length > 1 ? 'Your mentors' : 'Your mentor'}>
      <div className="split">
        <div className="split-main">
          {student.mentors.length > 0 ? (
            <>
              <ul className="card-list" aria-label="Your mentors">
                {student.mentors.map((mentor) => (
                  <li key={`${mentor.id}-${mentor.programName}-${mentor.kind}`}>
                    <MentorCard mentor={mentor} />
                  </li>
                ))}
              </ul>
              <p className="section-note">
                Your mentor does not grade you and is never someone who assesses you. What you talk about stays between
                you and them.
              </p>
            </>
          ) : (
            <Card className="empty-state">
              <h3>You have not been matched with a mentor yet</h3>
              <p>
                Your program director pairs every student with a mentor who does not assess them. As soon as you are
                matched, your mentor’s name and contact details will appear here.
              </p>
            </Card>
          )}
        </div>
        <StudiesCard student={student} />
      </div>
    </Section>
  );
}

function MentorCard({ mentor }: { mentor: Mentor }) {
  const headingId = useId();
  return (
    <Card as="article" className="person-card" labelledBy={headingId}>
      <div className="person-card-header">
        <span className="avatar avatar-large" aria-hidden="true">
          {initials(mentor.name)}
        </span>
        <div>
          <h3 className="person-name" id={headingId}>
            {mentor.name}
          </h3>
          <p className="badge">{humanize(mentor.kind)} mentor</p>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>
            <a href={`mailto:${mentor.email}`}>{mentor.email}</a>
          </dd>
        </div>
        <div>
          <dt>Department</dt>
          <dd>{mentor.department ?? 'Not listed'}</dd>
        </div>
        <div>
          <dt>Program</dt>
          <dd>{mentor.programName}</dd>
        </div>
        <div>
          <dt>Your mentor since</dt>
          <dd>{formatDate(mentor.since)}</dd>
        </div>
      </dl>
    </Card>
  );
}

function StudiesCard({ student }: { student: StudentHome }) {
  const headingId = useId();
  return (
    <Card as="section" className="side-card" labelledBy={headingId}>
      <h3 id={headingId}>Your studies</h3>
      <dl className="facts facts-stacked">
        <div>
          <dt>Cohort</dt>
          <dd>{student.cohort}</dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd>{student.phase ?? 'Not set'}</dd>
        </div>
        <div>
          <dt>{student.programs.length === 1 ? 'Program' : 'Programs'}</dt>
          <dd>
            {student.programs.length === 0 ? (
              'None yet'
            ) : (
              <ul className="plain-list">
                {student.programs.map((program) => (
                  <li key={program.id}>{program.name}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <p className="side-card-footer">
        Every view of your records is logged. <Link to="/access-log">See who viewed your records</Link>
      </p>
    </Card>
  );
}
