import { useState } from 'react';
import type { Assignment, MatchingRound } from '../../../../common/matching.ts';
import { FormField } from '../../components/FormField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatNumber } from '../../format.ts';

type SortKey = 'student' | 'mentor' | 'score';
type Sort = { key: SortKey; direction: 'ascending' | 'descending' };

const SORT_LABELS: Record<SortKey, string> = { student: 'Student', mentor: 'Mentor', score: 'Score' };

function compare(a: Assignment, b: Assignment, key: SortKey): number {
  if (key === 'student') return a.student.name.localeCompare(b.student.name);
  if (key === 'mentor') {
    // Unplaced students gather at the end of an ascending sort, where the eye expects "none".
    if (!a.mentor || !b.mentor) return a.mentor ? -1 : b.mentor ? 1 : 0;
    return a.mentor.name.localeCompare(b.mentor.name);
  }
  if (a.score === null || b.score === null) return a.score === null ? (b.score === null ? 0 : -1) : 1;
  return a.score - b.score;
}

interface ReviewTableProps {
  round: MatchingRound;
  readOnly: boolean;
  busy: boolean;
  onChangeMentor(assignment: Assignment): void;
  onTogglePin(assignment: Assignment): void;
  onLeaveUnplaced(assignment: Assignment): void;
}

/**
 * The proposed pairs with their scores and reasons: sortable by student, mentor or score
 * (the header buttons set aria-sort), filtered by name, unplaced, pinned or a score ceiling.
 */
export function ReviewTable({ round, readOnly, busy, onChangeMentor, onTogglePin, onLeaveUnplaced }: ReviewTableProps) {
  const [text, setText] = useState('');
  const [unplacedOnly, setUnplacedOnly] = useState(false);
  const [pinnedOnly, setPinnedOnly] = useState(false);
  const [below, setBelow] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'score', direction: 'ascending' });

  const belowValue = below.trim() === '' ? null : Number(below);
  const belowError =
    belowValue !== null && (!Number.isFinite(belowValue) || belowValue < 0 || belowValue > 1001)
      ? 'Enter a score from 0 to 1000'
      : undefined;
  const needle = text.trim().toLowerCase();

  const rows = round.assignments
    .filter((a) => !needle || `${a.student.name} ${a.mentor?.name ?? ''}`.toLowerCase().includes(needle))
    .filter((a) => !unplacedOnly || a.mentor === null)
    .filter((a) => !pinnedOnly || a.pinned)
    .filter((a) => belowValue === null || belowError !== undefined || (a.score !== null && a.score < belowValue))
    .sort((a, b) => {
      const order = compare(a, b, sort.key) || a.student.name.localeCompare(b.student.name);
      return sort.direction === 'ascending' ? order : -order;
    });

  const sortBy = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: 'ascending' },
    );

  const header = (key: SortKey, className?: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" className={className} aria-sort={active ? sort.direction : undefined}>
        <button type="button" className="sort-button" onClick={() => sortBy(key)}>
          {SORT_LABELS[key]}
          <span className="sort-indicator" aria-hidden="true">
            {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <>
      <div className="filters review-filters" role="search" aria-label="Filter the proposed pairs">
        <FormField
          label="Search by name"
          name="search"
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <FormField
          label="Score below"
          name="scoreBelow"
          type="number"
          inputMode="numeric"
          min={0}
          max={1000}
          hint="Only pairs scoring less."
          value={below}
          onChange={(event) => setBelow(event.target.value)}
          error={belowError}
        />
        <div className="filter-checks">
          <label className="check">
            <input
              type="checkbox"
              name="unplacedOnly"
              checked={unplacedOnly}
              onChange={(event) => setUnplacedOnly(event.target.checked)}
            />
            <span>Unplaced only</span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="pinnedOnly"
              checked={pinnedOnly}
              onChange={(event) => setPinnedOnly(event.target.checked)}
            />
            <span>Pinned only</span>
          </label>
        </div>
      </div>
      <p className="results-count" role="status">
        {rows.length === round.assignments.length
          ? `${formatNumber(rows.length)} ${rows.length === 1 ? 'student' : 'students'}`
          : `Showing ${formatNumber(rows.length)} of ${formatNumber(round.assignments.length)} students`}
      </p>
      <TableFrame label="Proposed pairs">
        <table className="data-table review-table" aria-busy={busy || undefined}>
          <caption className="visually-hidden">
            Proposed pairs of {round.name}, sorted by {SORT_LABELS[sort.key].toLowerCase()}, {sort.direction}
          </caption>
          <thead>
            <tr>
              {header('student')}
              {header('mentor')}
              {header('score', 'numeric')}
              <th scope="col" className="hide-narrow">
                Why
              </th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={readOnly ? 4 : 5} className="muted">
                  No student matches these filters.
                </td>
              </tr>
            )}
            {rows.map((a) => (
              <tr key={a.student.id} className={a.mentor ? undefined : 'row-unplaced'}>
                <th scope="row">
                  <span className="cell-primary">{a.student.name}</span>
                </th>
                <td>
                  {a.mentor ? (
                    <>
                      <span className="cell-primary">{a.mentor.name}</span>
                      <span className="assignment-badges">
                        {a.pinned && <span className="badge badge-info">Pinned</span>}
                        {a.source === 'manual' && <span className="badge badge-muted">Chosen by hand</span>}
                      </span>
                    </>
                  ) : (
                    <>
                      <span className="badge badge-attention">Not placed</span>
                      {a.unplacedReason && <span className="cell-secondary">{a.unplacedReason}</span>}
                    </>
                  )}
                </td>
                <td className="numeric score-cell">{a.score === null ? '—' : formatNumber(a.score)}</td>
                <td className="hide-narrow">
                  {a.reasons.length > 0 ? (
                    <ul className="reason-list">
                      {a.reasons.map((reason) => (
                        <li key={reason}>{reason}</li>
                      ))}
                    </ul>
                  ) : (
                    a.mentor && <span className="muted">Nothing in common beyond the basics</span>
                  )}
                </td>
                {!readOnly && (
                  <td className="actions-cell">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        onClick={() => onChangeMentor(a)}
                      >
                        {a.mentor ? 'Change mentor' : 'Choose mentor'}
                        <span className="visually-hidden"> for {a.student.name}</span>
                      </button>
                      {a.mentor && (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          onClick={() => onTogglePin(a)}
                        >
                          {a.pinned ? 'Unpin' : 'Pin'}
                          <span className="visually-hidden"> {a.student.name}</span>
                        </button>
                      )}
                      {a.mentor && (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          onClick={() => onLeaveUnplaced(a)}
                        >
                          Leave unplaced<span className="visually-hidden"> {a.student.name}</span>
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}
