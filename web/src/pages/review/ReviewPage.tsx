import { Suspense, lazy, useCallback, useId, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  ATTENDANCE_LABELS,
  EXAM_KIND_LABELS,
  GRADE_LABELS,
  RECORD_CATEGORY_LABELS,
  type StudentRecord,
} from '../../../../common/records.ts';
import type { ExamSeries, PairingReview, ReviewTheme, ReviewThemes, ThemeSentence } from '../../../../common/review.ts';
import { COMPETENCY_DOMAIN_LABELS, type TagPolarity } from '../../../../common/themes.ts';
import { isApiError } from '../../api/client.ts';
import { fetchPairingReview, pinTheme } from '../../api/review.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDate, formatDateTime, formatNumber, formatShortDate } from '../../format.ts';

const GradeChart = lazy(() => import('./ReviewCharts.tsx').then((m) => ({ default: m.GradeChart })));
const ExamChart = lazy(() => import('./ReviewCharts.tsx').then((m) => ({ default: m.ExamChart })));
const ThemeBars = lazy(() => import('./ReviewCharts.tsx').then((m) => ({ default: m.ThemeBars })));

const POLARITY_TEXT: Record<TagPolarity, string> = {
  strength: 'Strength',
  concern: 'Concern',
  mixed: 'Strength and concern',
  neutral: 'Neither',
};
const POLARITY_BADGE: Record<TagPolarity, string> = {
  strength: 'badge badge-positive',
  concern: 'badge badge-attention',
  mixed: 'badge badge-info',
  neutral: 'badge badge-muted',
};

/** The review of one pairing's records, for its mentor and (to see what the mentor sees) its student. */
export function ReviewPage() {
  const { pairingId = '' } = useParams();
  const [by, setBy] = useState<'month' | 'phase'>('month');
  const load = useCallback((signal: AbortSignal) => fetchPairingReview(pairingId, by, signal), [pairingId, by]);
  const review = useResource(load, { keepPrevious: true });
  return (
    <>
      {review.status === 'loading' && (
        <>
          <PageHeader title="Records review" />
          <LoadingState label="Loading the review…" />
        </>
      )}
      {review.status === 'failed' && (
        <>
          <PageHeader title="Records review" />
          <LoadFailure what="the review" error={review.error} retry={review.retry} />
          <p>
            <Link to="/my-mentorship">Back to My mentorship</Link>
          </p>
        </>
      )}
      {review.status === 'loaded' && <Review review={review.data} by={by} onBy={setBy} reload={review.reload} />}
    </>
  );
}

function Review({
  review,
  by,
  onBy,
  reload,
}: {
  review: PairingReview;
  by: 'month' | 'phase';
  onBy: (by: 'month' | 'phase') => void;
  reload: () => void;
}) {
  const isStudent = review.viewer === 'student';
  const planLink = isStudent ? '/plan' : `/students/${review.student.id}/plan`;
  return (
    <>
      <PageHeader
        title={isStudent ? 'What your mentor sees' : `Records review: ${review.student.name}`}
        documentTitle="Records review"
        eyebrow="Records review"
      >
        <p className="lead">
          {isStudent
            ? `The records you share with ${review.mentorName}, as ${review.mentorName} sees them when preparing your meetings.`
            : `What ${review.student.name} shares with you, to go through together at your next meeting. Your view is recorded in ${review.student.name}’s access log.`}
        </p>
        <p>
          <Link to="/my-mentorship">Back to My mentorship</Link> · <Link to={planLink}>Development plan</Link>
        </p>
      </PageHeader>
      <SharingNote review={review} />
      <SinceLastMeeting review={review} />
      {(review.grades || review.exams) && (
        <Section title="Trends">
          {review.grades && review.grades.points.length > 0 && <GradesFigure grades={review.grades} />}
          {review.exams?.map((series) => (
            <ExamFigure key={series.kind} series={series} />
          ))}
          {review.grades?.points.length === 0 && (!review.exams || review.exams.length === 0) && (
            <p className="muted">No grades or exam scores yet.</p>
          )}
        </Section>
      )}
      {review.themes && (
        <Themes
          themes={review.themes}
          pairingId={review.pairingId}
          planLink={planLink}
          by={by}
          onBy={onBy}
          reload={reload}
        />
      )}
    </>
  );
}

function SharingNote({ review }: { review: PairingReview }) {
  const isStudent = review.viewer === 'student';
  if (review.sharedCategories.length === 0) {
    return (
      <Alert tone="info" title="Nothing is shared">
        {isStudent ? (
          <p>
            Your mentor sees none of your records. <Link to="/records/sharing">Choose what your mentor sees</Link>.
          </p>
        ) : (
          <p>{review.student.name} does not share any records with you at the moment.</p>
        )}
      </Alert>
    );
  }
  if (review.hiddenCategories.length === 0) return null;
  const hidden = review.hiddenCategories.map((c) => RECORD_CATEGORY_LABELS[c]).join(', ');
  return (
    <Alert tone="info" title={isStudent ? 'Not shared with your mentor' : 'Not shared with you'}>
      <p>
        {hidden}.{' '}
        {isStudent ? (
          <Link to="/records/sharing">Change what your mentor sees</Link>
        ) : (
          `${review.student.name} decides what you see; these categories are left out of everything below.`
        )}
      </p>
    </Alert>
  );
}

function recordWhat(r: StudentRecord): string {
  if (r.category === 'grade' || r.category === 'exam') {
    const exam = r.examKind ? EXAM_KIND_LABELS[r.examKind] : null;
    return [r.course ? `${r.course.name} (${r.course.code})` : null, exam, r.title].filter(Boolean).join(' · ') || '—';
  }
  if (r.category === 'professionalism') return r.reportKind === 'concern' ? 'Concern reported' : 'Commendation';
  return r.title ?? '—';
}

function recordResult(r: StudentRecord): ReactNode {
  switch (r.category) {
    case 'grade':
      return r.grade ? GRADE_LABELS[r.grade] : r.score !== null ? `${formatNumber(r.score)} / 100` : '—';
    case 'exam':
      return [
        r.score !== null ? `Score ${formatNumber(r.score)}` : null,
        r.percentile !== null ? `${formatNumber(r.percentile)}th percentile` : null,
        r.grade ? GRADE_LABELS[r.grade] : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'narrative':
    case 'professionalism':
      return (
        <>
          {r.body}
          {r.authorName && <span className="cell-secondary">{r.authorName}</span>}
        </>
      );
    case 'attendance':
      return r.attendanceStatus ? ATTENDANCE_LABELS[r.attendanceStatus] : '—';
  }
}

function SinceLastMeeting({ review }: { review: PairingReview }) {
  const records = review.recordsSinceLastMeeting;
  const title = review.lastMeeting ? 'Since your last meeting' : 'Before your first meeting';
  const caption = review.lastMeeting
    ? `Shared records dated on or after ${formatDate(review.lastMeeting.on)}, newest first`
    : 'Every shared record, newest first';
  return (
    <Section
      title={title}
      intro={
        <p>
          {review.lastMeeting ? (
            <>
              Your last completed meeting was on{' '}
              <Link to={`/meetings/${review.lastMeeting.id}`}>{formatDateTime(review.lastMeeting.startsAt)}</Link>.
            </>
          ) : (
            'You have not completed a meeting yet, so every shared record is listed.'
          )}
        </p>
      }
    >
      {records.length === 0 ? (
        <p className="muted">No new shared records since then.</p>
      ) : (
        <TableFrame label={title}>
          <table className="data-table records-review-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Kind</th>
                <th scope="col">What</th>
                <th scope="col">Result or text</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatShortDate(r.occurredOn)}</td>
                  <td>{RECORD_CATEGORY_LABELS[r.category]}</td>
                  <th scope="row">{recordWhat(r)}</th>
                  <td>{recordResult(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}

function ChartFigure({ title, summary, children }: { title: string; summary: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <figure className="card records-review-figure" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="card-title">{title}</span>
        <span className="cell-secondary">{summary}</span>
      </figcaption>
      {children}
    </figure>
  );
}

function GradesFigure({ grades }: { grades: NonNullable<PairingReview['grades']> }) {
  const phases = grades.byPhase.map((p) => p.phase).join(', ');
  return (
    <ChartFigure
      title="Grades by phase"
      summary={`${grades.points.length} grade${grades.points.length === 1 ? '' : 's'} in ${phases}. Tiers on a scale from Fail to Honors; numeric grades apart.`}
    >
      <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
        <GradeChart points={grades.points} />
      </Suspense>
      <details className="chart-table">
        <summary>Show the grades as a table</summary>
        <table className="data-table">
          <caption className="visually-hidden">Grades by phase</caption>
          <thead>
            <tr>
              <th scope="col">Phase</th>
              <th scope="col">Dates</th>
              <th scope="col" className="numeric">
                Honors
              </th>
              <th scope="col" className="numeric">
                High pass
              </th>
              <th scope="col" className="numeric">
                Pass
              </th>
              <th scope="col" className="numeric">
                Fail
              </th>
              <th scope="col" className="numeric">
                Numeric mean
              </th>
            </tr>
          </thead>
          <tbody>
            {grades.byPhase.map((p) => (
              <tr key={p.phase}>
                <th scope="row">{p.phase}</th>
                <td>
                  {formatShortDate(p.from)} – {formatShortDate(p.to)}
                </td>
                <td className="numeric">{p.tiers.honors}</td>
                <td className="numeric">{p.tiers.high_pass}</td>
                <td className="numeric">{p.tiers.pass}</td>
                <td className="numeric">{p.tiers.fail}</td>
                <td className="numeric">
                  {p.meanScore === null ? '—' : `${formatNumber(p.meanScore)} (${p.numericCount})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table">
          <caption className="visually-hidden">Every grade, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Course</th>
              <th scope="col">Phase</th>
              <th scope="col">Grade</th>
            </tr>
          </thead>
          <tbody>
            {grades.points.map((p) => (
              <tr key={p.recordId}>
                <td className="nowrap">{formatShortDate(p.occurredOn)}</td>
                <th scope="row">{p.course ? `${p.course.name} (${p.course.code})` : '—'}</th>
                <td>{p.phase ?? '—'}</td>
                <td>{p.grade ? GRADE_LABELS[p.grade] : p.score !== null ? `${formatNumber(p.score)} / 100` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </ChartFigure>
  );
}

function ExamFigure({ series }: { series: ExamSeries }) {
  const drawable = series.points.some((p) => p.score !== null || p.percentile !== null);
  const withPercentile = series.points.filter((p) => p.percentile !== null).length;
  return (
    <ChartFigure
      title={`${series.label} over time`}
      summary={`${series.points.length} result${series.points.length === 1 ? '' : 's'}${withPercentile ? `; the dashed line is the cohort percentile` : ''}.`}
    >
      {drawable && (
        <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
          <ExamChart series={series} />
        </Suspense>
      )}
      <details className="chart-table" open={!drawable}>
        <summary>Show the results as a table</summary>
        <table className="data-table">
          <caption className="visually-hidden">{series.label} results, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Exam</th>
              <th scope="col" className="numeric">
                Score
              </th>
              <th scope="col" className="numeric">
                Cohort percentile
              </th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {series.points.map((p) => (
              <tr key={p.recordId}>
                <td className="nowrap">{formatShortDate(p.occurredOn)}</td>
                <th scope="row">{p.title ?? series.label}</th>
                <td className="numeric">{p.score === null ? '—' : formatNumber(p.score)}</td>
                <td className="numeric">{p.percentile === null ? '—' : formatNumber(p.percentile)}</td>
                <td>{p.result ? GRADE_LABELS[p.result] : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </ChartFigure>
  );
}

function periodName(key: string, by: 'month' | 'phase'): string {
  if (by === 'phase') return key === 'none' ? 'Phase not recorded' : key;
  const [year, month] = key.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

function Themes({
  themes,
  pairingId,
  planLink,
  by,
  onBy,
  reload,
}: {
  themes: ReviewThemes;
  pairingId: string;
  planLink: string;
  by: 'month' | 'phase';
  onBy: (by: 'month' | 'phase') => void;
  reload: () => void;
}) {
  const recurring = themes.themes.filter((t) => t.recurring);
  const once = themes.themes.filter((t) => !t.recurring);
  const [message, setMessage] = useState<ReactNode>(null);
  const byId = useId();
  return (
    <Section
      title="Recurring themes in narrative evaluations"
      intro={
        <p>
          Found in {themes.narratives} shared narrative evaluation{themes.narratives === 1 ? '' : 's'} by the program’s
          theme lexicon. The words that matched are highlighted; each sentence says whether it reads as a strength or a
          concern.
        </p>
      }
    >
      <div className="records-review-toolbar">
        <label htmlFor={byId}>Count mentions by</label>
        <select id={byId} className="select" value={by} onChange={(e) => onBy(e.target.value as 'month' | 'phase')}>
          <option value="month">Month</option>
          <option value="phase">Phase</option>
        </select>
      </div>
      <div className="live-region" aria-live="polite" aria-atomic="true">
        {message}
      </div>
      {themes.themes.length === 0 && <p className="muted">No themes were found in the shared narratives.</p>}
      {recurring.length > 0 && (
        <ul className="records-review-themes" aria-label="Recurring themes">
          {recurring.map((theme) => (
            <li key={theme.theme}>
              <ThemeCard
                theme={theme}
                themes={themes}
                by={by}
                pairingId={pairingId}
                planLink={planLink}
                onPinned={(text) => {
                  setMessage(text);
                  reload();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {once.length > 0 && (
        <details className="records-review-once">
          <summary>
            {once.length} theme{once.length === 1 ? '' : 's'} mentioned in one narrative only
          </summary>
          <ul className="records-review-themes" aria-label="Themes mentioned once">
            {once.map((theme) => (
              <li key={theme.theme}>
                <ThemeCard
                  theme={theme}
                  themes={themes}
                  by={by}
                  pairingId={pairingId}
                  planLink={planLink}
                  onPinned={(text) => {
                    setMessage(text);
                    reload();
                  }}
                />
              </li>
            ))}
          </ul>
        </details>
      )}
    </Section>
  );
}

function leaning(theme: ReviewTheme): TagPolarity {
  if (theme.concerns > 0 && theme.strengths > 0) return 'mixed';
  if (theme.concerns > 0) return 'concern';
  if (theme.strengths > 0) return 'strength';
  return 'neutral';
}

function ThemeCard({
  theme,
  themes,
  by,
  pairingId,
  planLink,
  onPinned,
}: {
  theme: ReviewTheme;
  themes: ReviewThemes;
  by: 'month' | 'phase';
  pairingId: string;
  planLink: string;
  onPinned: (message: ReactNode) => void;
}) {
  const headingId = useId();
  const [pinning, setPinning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const counts = themes.periods.map((p, i) => ({ key: p.key, narratives: theme.counts[i]?.narratives ?? 0 }));
  const mentioned = counts.filter((c) => c.narratives > 0);
  const overTime = `Mentioned in ${mentioned.map((c) => `${periodName(c.key, by)} (${c.narratives})`).join(', ')}.`;
  const pin = async () => {
    setPinning(true);
    setError(null);
    try {
      const result = await pinTheme(pairingId, theme.theme);
      onPinned(
        result.created
          ? `“${theme.label}” was added to the development plan as the goal “${result.pin.goalTitle}”.`
          : `“${theme.label}” was already on the development plan.`,
      );
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'The theme could not be pinned. Please try again.');
    } finally {
      setPinning(false);
    }
  };
  const lean = leaning(theme);
  return (
    <Card as="section" labelledBy={headingId} className="records-review-theme">
      <div className="records-review-theme-header">
        <div>
          <h3 id={headingId}>{theme.label}</h3>
          <p className="cell-secondary">{COMPETENCY_DOMAIN_LABELS[theme.domain]}</p>
        </div>
        <span className={POLARITY_BADGE[lean]}>
          {lean === 'mixed' ? 'Strengths and concerns' : lean === 'neutral' ? 'Neither' : `${POLARITY_TEXT[lean]}s`}
        </span>
      </div>
      <p>
        In {theme.narratives} narrative{theme.narratives === 1 ? '' : 's'}: read as a strength in {theme.strengths}, as
        a concern in {theme.concerns}.
      </p>
      {themes.periods.length > 1 && (
        <Suspense fallback={null}>
          <ThemeBars counts={counts} />
        </Suspense>
      )}
      <p className="cell-secondary">{overTime}</p>
      <h4 className="records-review-subheading">
        Supporting sentences
        {theme.sentenceTotal > theme.sentences.length &&
          ` (newest ${theme.sentences.length} of ${theme.sentenceTotal})`}
      </h4>
      <ul className="records-review-sentences">
        {theme.sentences.map((s) => (
          <li key={`${s.recordId}-${s.start}`}>
            <Sentence sentence={s} />
          </li>
        ))}
      </ul>
      <div className="records-review-pin">
        {theme.pin ? (
          <p>
            <span className="badge badge-positive">Pinned</span> On the development plan as{' '}
            <Link to={planLink}>“{theme.pin.goalTitle}”</Link>, by {theme.pin.pinnedBy} on{' '}
            {formatDate(theme.pin.pinnedAt)}.
          </p>
        ) : (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={pin}
            disabled={pinning}
            aria-describedby={headingId}
          >
            {pinning ? 'Pinning…' : 'Pin to development plan'}
          </button>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Card>
  );
}

/** The sentence with its matched words in <mark>, and where it comes from. */
function Sentence({ sentence }: { sentence: ThemeSentence }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const h of sentence.highlights) {
    if (h.start > at) parts.push(sentence.text.slice(at, h.start));
    parts.push(<mark key={h.start}>{sentence.text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  if (at < sentence.text.length) parts.push(sentence.text.slice(at));
  return (
    <figure className="records-review-sentence">
      <blockquote>
        <p>{parts}</p>
      </blockquote>
      <figcaption className="cell-secondary">
        <span className={POLARITY_BADGE[sentence.polarity]}>{POLARITY_TEXT[sentence.polarity]}</span>{' '}
        {formatDate(sentence.occurredOn)}
        {sentence.context ? ` · ${sentence.context}` : ''}
        {sentence.authorName ? ` · ${sentence.authorName}` : ''}
      </figcaption>
    </figure>
  );
}
