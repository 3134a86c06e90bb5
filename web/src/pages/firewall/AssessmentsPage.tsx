import { useCallback, useState } from 'react';
import { fetchAssessments } from '../../api/firewall.ts';
import { ASSESSMENT_KINDS, type AssessmentKind, type AssessmentRelationship } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { canManagePrograms } from '../../components/use-program-choice.ts';
import { formatNumber, formatShortDate } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { AssessmentImportPanel } from './AssessmentImportPanel.tsx';
import { ASSESSMENT_KIND_LABELS } from './firewall-text.tsx';

const TITLE = 'Assessment relationships';
const PAGE_SIZE = 25;

export function AssessmentsPage() {
  const me = useMe();
  // An import changes the list: it starts again, from the first page.
  const [imports, setImports] = useState(0);
  return (
    <RoleGate
      allowed={canManagePrograms(me)}
      title={TITLE}
      audience="program directors and administrators"
      purpose="They use it to keep the record of who assesses whom, which the firewall checks every pairing against."
    >
      <PageHeader title={TITLE}>
        <p className="lead">
          Who assesses whom: rotations, course directorships and committee seats. A mentor is never paired with a
          student they assess, have assessed or are scheduled to assess.
        </p>
      </PageHeader>
      <div className="page-body">
        <AssessmentImportPanel onImported={() => setImports((n) => n + 1)} />
        <AssessmentList key={imports} />
      </div>
    </RoleGate>
  );
}

function AssessmentList() {
  const [kind, setKind] = useState<AssessmentKind | ''>('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useDebouncedValue(search.trim(), 300);
  const load = useCallback(
    (signal: AbortSignal) =>
      fetchAssessments({ kind: kind || undefined, search: query || undefined, limit: PAGE_SIZE, offset }, signal),
    [kind, query, offset],
  );
  const relationships = useResource(load, { keepPrevious: true });

  return (
    <Section title="Relationships on record">
      <div className="filters" role="search" aria-label="Filter assessment relationships">
        <FormField
          label="Search by name, email or context"
          name="search"
          type="search"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setOffset(0);
          }}
        />
        <SelectField
          label="Kind"
          name="kind"
          value={kind}
          onChange={(event) => {
            setKind(event.target.value as AssessmentKind | '');
            setOffset(0);
          }}
        >
          <option value="">All kinds</option>
          {ASSESSMENT_KINDS.map((value) => (
            <option key={value} value={value}>
              {ASSESSMENT_KIND_LABELS[value]}
            </option>
          ))}
        </SelectField>
      </div>
      {relationships.status === 'loading' && <LoadingState label="Loading assessment relationships…" />}
      {relationships.status === 'failed' && (
        <LoadFailure what="the assessment relationships" error={relationships.error} retry={relationships.retry} />
      )}
      {relationships.status === 'loaded' && (
        <>
          <p className="results-count" role="status">
            {relationships.refreshing
              ? 'Updating…'
              : `${formatNumber(relationships.data.total)} ${relationships.data.total === 1 ? 'relationship' : 'relationships'}`}
          </p>
          {relationships.data.relationships.length === 0 ? (
            <Card className="empty-state">
              <h3>No relationships match</h3>
              <p>Try another name or kind, or import the schedule below.</p>
            </Card>
          ) : (
            <RelationshipTable relationships={relationships.data.relationships} busy={relationships.refreshing} />
          )}
          <Pagination
            label="Assessment relationships"
            offset={offset}
            limit={PAGE_SIZE}
            total={relationships.data.total}
            onChange={setOffset}
          />
        </>
      )}
    </Section>
  );
}

/** Whom the relationship covers: one student, a whole class (a committee) or everyone in a course. */
function assessed(relationship: AssessmentRelationship): string {
  if (relationship.student) return relationship.student.name;
  if (relationship.cohortName) return `Everyone in ${relationship.cohortName}`;
  if (relationship.course) return `Students of ${relationship.course.code} ${relationship.course.name}`;
  return '—';
}

function dates(relationship: AssessmentRelationship): string {
  const from = formatShortDate(relationship.startsOn);
  return relationship.endsOn ? `${from} – ${formatShortDate(relationship.endsOn)}` : `From ${from}`;
}

function RelationshipTable({ relationships, busy }: { relationships: AssessmentRelationship[]; busy: boolean }) {
  return (
    <TableFrame label="Assessment relationships">
      <table className="data-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Assessment relationships</caption>
        <thead>
          <tr>
            <th scope="col">Assessor</th>
            <th scope="col">Assesses</th>
            <th scope="col" className="hide-narrow">
              Kind
            </th>
            <th scope="col" className="hide-narrow">
              Context
            </th>
            <th scope="col" className="hide-narrow">
              Dates
            </th>
          </tr>
        </thead>
        <tbody>
          {relationships.map((relationship) => (
            <tr key={relationship.id}>
              <th scope="row" className="nowrap">
                {relationship.assessor.name}
              </th>
              <td>
                <span className="cell-primary">{assessed(relationship)}</span>
                <span className="cell-secondary show-narrow">
                  {ASSESSMENT_KIND_LABELS[relationship.kind] ?? relationship.kind} · {relationship.context} ·{' '}
                  {dates(relationship)}
                </span>
              </td>
              <td className="nowrap hide-narrow">{ASSESSMENT_KIND_LABELS[relationship.kind] ?? relationship.kind}</td>
              <td className="hide-narrow">
                <span className="cell-primary">{relationship.context}</span>
                {relationship.externalId && <span className="cell-secondary">{relationship.externalId}</span>}
              </td>
              <td className="hide-narrow nowrap">{dates(relationship)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
