import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  RECORD_CATEGORIES,
  RECORD_CATEGORY_LABELS,
  type RecordCategory,
  type RecordSharing,
} from '../../../../common/records.ts';
import { isApiError } from '../../api/client.ts';
import { fetchMySharing, updateMySharing, type SharingChange } from '../../api/records.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDate, formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Sharing my records';

type Mode = 'default' | 'share' | 'withhold';
interface Draft {
  mode: Mode;
  /** Empty: from today. */
  startsOn: string;
  endsOn: string;
}
type FieldErrors = Partial<Record<RecordCategory, { startsOn?: string; endsOn?: string }>>;

/** The next 30 June after `day`: what a renewal runs to when the choice already ends on this year's. */
function nextYearEnd(endsOn: string, defaultEndsOn: string): string {
  return endsOn < defaultEndsOn ? defaultEndsOn : `${Number(endsOn.slice(0, 4)) + 1}-06-30`;
}

/** The student chooses, per category of records, whether their mentor sees it and until when. */
export function RecordSharingPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students choose here which of their records their mentor may see."
    >
      <Sharing />
    </RoleGate>
  );
}

function Sharing() {
  const sharing = useResource(fetchMySharing);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Your program decides what mentors see unless you choose otherwise. Your choice holds from its first to its
          last day; when it ends, that category is hidden from your mentor until you choose again, and we remind you two
          weeks before a choice to share ends. Your mentor never sees more than this, and every time they look it is in{' '}
          <Link to="/access-log">who viewed my records</Link>.
        </p>
      </PageHeader>
      {sharing.status === 'loading' && <LoadingState label="Loading your sharing choices…" />}
      {sharing.status === 'failed' && (
        <LoadFailure what="your sharing choices" error={sharing.error} retry={sharing.retry} />
      )}
      {sharing.status === 'loaded' && <SharingForm sharing={sharing.data} onSaved={sharing.reload} />}
    </>
  );
}

function draftsOf(sharing: RecordSharing): Record<RecordCategory, Draft> {
  const drafts = {} as Record<RecordCategory, Draft>;
  for (const c of sharing.categories) {
    drafts[c.category] = c.choice
      ? { mode: c.choice.shared ? 'share' : 'withhold', startsOn: '', endsOn: c.choice.endsOn }
      : { mode: 'default', startsOn: '', endsOn: sharing.defaultEndsOn };
  }
  return drafts;
}

function SharingForm({ sharing, onSaved }: { sharing: RecordSharing; onSaved: () => void }) {
  const [drafts, setDrafts] = useState(() => draftsOf(sharing));
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const set = (category: RecordCategory, patch: Partial<Draft>) =>
    setDrafts((current) => ({ ...current, [category]: { ...current[category], ...patch } }));

  const save = async (changes: SharingChange[], done: string) => {
    setSaving(true);
    try {
      await updateMySharing(changes);
      setOutcome({ tone: 'success', text: done });
      onSaved();
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const match = field ? /^choices\.(\d+)\.(startsOn|endsOn)$/.exec(field) : null;
      const category = match ? changes[Number(match[1])]?.category : undefined;
      if (category && match && isApiError(error)) setFieldErrors({ [category]: { [match[2]!]: error.message } });
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setSaving(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const changes: SharingChange[] = [];
    const errors: FieldErrors = {};
    for (const c of sharing.categories) {
      const draft = drafts[c.category];
      const before = c.choice ? { mode: c.choice.shared ? 'share' : 'withhold', endsOn: c.choice.endsOn } : null;
      if (draft.mode === 'default') {
        if (before) changes.push({ category: c.category, shared: null });
        continue;
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.endsOn)) {
        errors[c.category] = { endsOn: 'Choose the last day this holds' };
        continue;
      }
      if (draft.startsOn !== '' && draft.endsOn < draft.startsOn) {
        errors[c.category] = { endsOn: 'The last day must not be before the first day' };
        continue;
      }
      if (!before || before.mode !== draft.mode || before.endsOn !== draft.endsOn || draft.startsOn !== '')
        changes.push({
          category: c.category,
          shared: draft.mode === 'share',
          endsOn: draft.endsOn,
          ...(draft.startsOn !== '' ? { startsOn: draft.startsOn } : {}),
        });
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setOutcome({ tone: 'error', text: 'Some dates need changing; see below.' });
      return;
    }
    if (changes.length === 0) {
      setOutcome({ tone: 'success', text: 'Nothing changed.' });
      return;
    }
    await save(changes, 'Saved. Your mentor sees exactly this from now on.');
  };

  const renew = async (category: RecordCategory, endsOn: string) => {
    setOutcome(null);
    setFieldErrors({});
    const until = nextYearEnd(endsOn, sharing.defaultEndsOn);
    set(category, { mode: 'share', startsOn: '', endsOn: until });
    await save(
      [{ category, shared: true, endsOn: until }],
      `Renewed: your mentor sees ${RECORD_CATEGORY_LABELS[category].toLowerCase()} until ${formatDate(until)}.`,
    );
  };

  const noMentor = sharing.categories[0]?.mentors.length === 0;
  return (
    <>
      {noMentor && (
        <Alert tone="info" title="You do not have a mentor yet.">
          <p>Your choices apply as soon as you are paired.</p>
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <div className="sharing-list">
          {RECORD_CATEGORIES.map((category) => {
            const row = sharing.categories.find((c) => c.category === category)!;
            const draft = drafts[category];
            const programDefault = row.mentors.some((m) => m.programDefault);
            const name = `sharing-${category}`;
            return (
              <Card key={category} className="sharing-card">
                <fieldset className="choice-group">
                  <legend className="sharing-legend">{RECORD_CATEGORY_LABELS[category]}</legend>
                  {row.mentors.map((m) => (
                    <p key={m.pairingId} className="cell-secondary">
                      Today {m.mentorName} ({m.programName}) {m.visible ? 'sees' : 'does not see'} these.
                    </p>
                  ))}
                  {row.choice && (
                    <p className="cell-secondary">
                      {choiceStatus(row.choice)}{' '}
                      {row.choice.shared && row.choice.state !== 'scheduled' && (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={saving}
                          onClick={() => renew(category, row.choice!.endsOn)}
                        >
                          Renew until {formatDate(nextYearEnd(row.choice.endsOn, sharing.defaultEndsOn))}
                          <span className="visually-hidden"> for {RECORD_CATEGORY_LABELS[category]}</span>
                        </button>
                      )}
                    </p>
                  )}
                  <label className="choice">
                    <input
                      type="radio"
                      name={name}
                      checked={draft.mode === 'default'}
                      onChange={() => set(category, { mode: 'default' })}
                    />
                    <span>
                      Follow my program’s default
                      {row.mentors.length > 0 && ` (${programDefault ? 'shared' : 'not shared'})`}
                    </span>
                  </label>
                  <label className="choice">
                    <input
                      type="radio"
                      name={name}
                      checked={draft.mode === 'share'}
                      onChange={() => set(category, { mode: 'share' })}
                    />
                    <span>Share with my mentor</span>
                  </label>
                  <label className="choice">
                    <input
                      type="radio"
                      name={name}
                      checked={draft.mode === 'withhold'}
                      onChange={() => set(category, { mode: 'withhold' })}
                    />
                    <span>Do not share</span>
                  </label>
                  {draft.mode !== 'default' && (
                    <>
                      <DateField
                        id={`${name}-starts`}
                        label="From (the first day this choice holds; today if empty)"
                        value={draft.startsOn}
                        error={fieldErrors[category]?.startsOn}
                        onChange={(value) => set(category, { startsOn: value })}
                      />
                      <DateField
                        id={`${name}-ends`}
                        label="Until (the last day this choice holds)"
                        value={draft.endsOn}
                        error={fieldErrors[category]?.endsOn}
                        onChange={(value) => set(category, { endsOn: value })}
                      />
                    </>
                  )}
                </fieldset>
              </Card>
            );
          })}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save my choices'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      <History history={sharing.history} />
    </>
  );
}

function choiceStatus(choice: NonNullable<RecordSharing['categories'][number]['choice']>): string {
  const what = choice.shared ? 'Shared' : 'Not shared';
  if (choice.state === 'scheduled')
    return `Your choice starts on ${formatDate(choice.startsOn)}: ${what.toLowerCase()} until ${formatDate(choice.endsOn)}; hidden until then.`;
  if (choice.state === 'ended')
    return `Your choice ended on ${formatDate(choice.endsOn)}; hidden from your mentor until you choose again.`;
  return `${what} from ${formatDate(choice.startsOn)} until ${formatDate(choice.endsOn)}${
    choice.remindOn ? `; we remind you on ${formatDate(choice.remindOn)}` : ''
  }.`;
}

/** A labelled date input whose error is tied to it for screen readers. */
function DateField({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <div className="field-control">
        <input
          id={id}
          type="date"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </div>
    </div>
  );
}

function History({ history }: { history: RecordSharing['history'] }) {
  return (
    <Section title="History of my choices">
      {history.length === 0 ? (
        <p>You have not changed anything yet; your program’s default applies.</p>
      ) : (
        <TableFrame label="History of my choices">
          <table className="data-table">
            <caption>Every change, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Category</th>
                <th scope="col">Choice</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h, index) => (
                <tr key={`${h.changedAt}-${h.category}-${index}`}>
                  <td>{formatDateTime(h.changedAt)}</td>
                  <th scope="row">{RECORD_CATEGORY_LABELS[h.category]}</th>
                  <td>
                    {h.shared === null
                      ? 'Back to the program’s default'
                      : `${h.shared ? 'Shared' : 'Not shared'} from ${formatDate(h.startsOn!)} until ${formatDate(h.endsOn!)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}
