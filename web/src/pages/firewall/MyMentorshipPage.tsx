import { useId } from 'react';
import { Link } from 'react-router';
import { fetchMyPairings } from '../../api/firewall.ts';
import type { MyPairings, Pairing } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDate, hasRole, initials } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { PairingMeetings } from '../meetings/PairingMeetings.tsx';
import { PAIRING_KIND_LABELS } from './firewall-text.tsx';

const TITLE = 'My mentorship';

export function MyMentorshipPage() {
  const me = useMe();
  const isStudent = hasRole(me, 'student');
  const isMentor = hasRole(me, 'mentor');
  return (
    <RoleGate
      allowed={isStudent || isMentor}
      title={TITLE}
      audience="students and mentors"
      purpose="It lists the mentoring pairings someone has been part of, now and before."
    >
      <MyMentorship isStudent={isStudent} isMentor={isMentor} />
    </RoleGate>
  );
}

function MyMentorship({ isStudent, isMentor }: { isStudent: boolean; isMentor: boolean }) {
  const pairings = useResource(fetchMyPairings);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          {isStudent
            ? 'Your mentors, now and before. A mentor never grades you, and what you discuss stays between the two of you.'
            : 'The students you mentor, now and before. You are never paired with a student you assess.'}
        </p>
      </PageHeader>
      {pairings.status === 'loading' && <LoadingState label="Loading your pairings…" />}
      {pairings.status === 'failed' && (
        <LoadFailure what="your pairings" error={pairings.error} retry={pairings.retry} />
      )}
      {pairings.status === 'loaded' && <Pairings data={pairings.data} isStudent={isStudent} isMentor={isMentor} />}
    </>
  );
}

function Pairings({ data, isStudent, isMentor }: { data: MyPairings; isStudent: boolean; isMentor: boolean }) {
  const both = isStudent && isMentor;
  return (
    <div className="home-sections">
      {isStudent && <AsStudent pairings={data.asStudent} eyebrow={both ? 'Student' : undefined} />}
      {isMentor && <AsMentor pairings={data.asMentor} eyebrow={both ? 'Mentor' : undefined} />}
    </div>
  );
}

const current = (pairings: Pairing[]) => pairings.filter((p) => p.status === 'active');
const past = (pairings: Pairing[]) => pairings.filter((p) => p.status === 'ended');

function AsStudent({ pairings, eyebrow }: { pairings: Pairing[]; eyebrow?: string | undefined }) {
  const now = current(pairings);
  const before = past(pairings);
  return (
    <>
      <Section eyebrow={eyebrow} title={now.length > 1 ? 'Your mentors' : 'Your mentor'}>
        {now.length === 0 ? (
          <Card className="empty-state">
            <h3>You have no mentor at the moment</h3>
            <p>
              Your program director pairs every student with a mentor who does not assess them. You will see your mentor
              here as soon as you are paired.
            </p>
          </Card>
        ) : (
          <ul className="card-list" aria-label="Your current mentors">
            {now.map((pairing) => (
              <li key={pairing.id}>
                <PersonCard person={pairing.mentor} pairing={pairing} role="mentor" />
              </li>
            ))}
          </ul>
        )}
        {now.map((pairing) => (
          <PairingMeetings key={pairing.id} pairing={pairing} viewer="student" />
        ))}
      </Section>
      {before.length > 0 && (
        <Section title="Your past mentors">
          <PastTable pairings={before} who="mentor" caption="Your past mentors" />
        </Section>
      )}
    </>
  );
}

function AsMentor({ pairings, eyebrow }: { pairings: Pairing[]; eyebrow?: string | undefined }) {
  const now = current(pairings);
  const before = past(pairings);
  return (
    <>
      <Section
        eyebrow={eyebrow}
        title="Your mentees"
        intro={
          now.length > 0 && (
            <p>
              You mentor {now.length} {now.length === 1 ? 'student' : 'students'}. None of them is someone you assess.
            </p>
          )
        }
      >
        {now.length === 0 ? (
          <Card className="empty-state">
            <h3>You have no mentees at the moment</h3>
            <p>When your program director pairs students with you, they will be listed here.</p>
          </Card>
        ) : (
          <>
            <CurrentTable pairings={now} />
            {now.map((pairing) => (
              <PairingMeetings key={pairing.id} pairing={pairing} viewer="mentor" />
            ))}
          </>
        )}
      </Section>
      {before.length > 0 && (
        <Section title="Your past mentees">
          <PastTable pairings={before} who="student" caption="Your past mentees" />
        </Section>
      )}
    </>
  );
}

function PersonCard({
  person,
  pairing,
  role,
}: {
  person: Pairing['mentor'];
  pairing: Pairing;
  role: 'mentor' | 'student';
}) {
  const headingId = useId();
  return (
    <Card as="article" className="person-card" labelledBy={headingId}>
      <div className="person-card-header">
        <span className="avatar avatar-large" aria-hidden="true">
          {initials(person.name)}
        </span>
        <div>
          <h3 className="person-name" id={headingId}>
            {person.name}
          </h3>
          <p className="badge">
            {PAIRING_KIND_LABELS[pairing.kind]} {role}
          </p>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Email</dt>
          <dd>
            <a href={`mailto:${person.email}`}>{person.email}</a>
          </dd>
        </div>
        <div>
          <dt>Program</dt>
          <dd>{pairing.programName}</dd>
        </div>
        <div>
          <dt>Since</dt>
          <dd>{formatDate(pairing.startsOn)}</dd>
        </div>
      </dl>
      <p>
        <Link to={`/messages/${pairing.id}`}>Messages with {person.name}</Link>
      </p>
    </Card>
  );
}

function CurrentTable({ pairings }: { pairings: Pairing[] }) {
  return (
    <TableFrame label="Your current mentees">
      <table className="data-table">
        <caption className="visually-hidden">Your current mentees</caption>
        <thead>
          <tr>
            <th scope="col">Mentee</th>
            <th scope="col" className="hide-narrow">
              Program
            </th>
            <th scope="col" className="hide-narrow">
              Type
            </th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {pairings.map((pairing) => (
            <tr key={pairing.id}>
              <th scope="row">
                <span className="cell-primary">{pairing.student.name}</span>
                <a className="cell-secondary email-cell" href={`mailto:${pairing.student.email}`}>
                  {pairing.student.email}
                </a>
                <Link className="cell-secondary" to={`/messages/${pairing.id}`}>
                  Messages<span className="visually-hidden"> with {pairing.student.name}</span>
                </Link>
                <span className="cell-secondary show-narrow">
                  {PAIRING_KIND_LABELS[pairing.kind]} · {pairing.programName}
                </span>
              </th>
              <td className="hide-narrow">{pairing.programName}</td>
              <td className="hide-narrow">{PAIRING_KIND_LABELS[pairing.kind]}</td>
              <td className="nowrap">{formatDate(pairing.startsOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function endedOn(pairing: Pairing): string {
  const end = pairing.endsOn ?? pairing.endedAt;
  return end ? formatDate(end) : '—';
}

function PastTable({ pairings, who, caption }: { pairings: Pairing[]; who: 'mentor' | 'student'; caption: string }) {
  return (
    <TableFrame label={caption}>
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{who === 'mentor' ? 'Mentor' : 'Mentee'}</th>
            <th scope="col" className="hide-narrow">
              Program
            </th>
            <th scope="col" className="hide-narrow">
              Type
            </th>
            <th scope="col">From</th>
            <th scope="col">Ended</th>
          </tr>
        </thead>
        <tbody>
          {pairings.map((pairing) => (
            <tr key={pairing.id}>
              <th scope="row">
                <span className="cell-primary">{pairing[who].name}</span>
                <span className="cell-secondary show-narrow">
                  {PAIRING_KIND_LABELS[pairing.kind]} · {pairing.programName}
                </span>
              </th>
              <td className="hide-narrow">{pairing.programName}</td>
              <td className="hide-narrow">{PAIRING_KIND_LABELS[pairing.kind]}</td>
              <td className="nowrap">{formatDate(pairing.startsOn)}</td>
              <td className="nowrap">{endedOn(pairing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
