import { useCallback, useId, useState, type FormEvent } from 'react';
import type {
  AgendaTopic,
  CadenceRuleInput,
  CadenceRuleList,
  AgendaTemplateList,
} from '../../../../common/mentoring.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { isApiError } from '../../api/client.ts';
import {
  fetchAgendaTemplates,
  fetchCadenceRules,
  fetchPhases,
  saveAgendaTemplate,
  saveCadenceRule,
  type Phase,
} from '../../api/program-requirements.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';

type Rule = CadenceRuleList['rules'][number];
type Template = AgendaTemplateList['templates'][number];
type Outcome = { tone: 'success' | 'error'; text: string } | null;

/** One row of the page: the program's default, then each curriculum phase. */
interface Scope {
  phaseId: string | null;
  name: string;
}

/**
 * The director sets how often each phase's pairings meet and what every meeting's agenda starts
 * with. Compliance and the cadence reminders follow these rules; a topic marked as covering the
 * development plan counts, once discussed, as the plan's review for the term.
 */
export function MeetingRequirementsPage() {
  return (
    <ProgramPage
      use="manage"
      title="Meeting requirements"
      intro="How often pairings meet in each phase, and the agenda every meeting starts from. A phase without its own rule or agenda uses the program’s default."
    >
      {(program) => <Requirements program={program} />}
    </ProgramPage>
  );
}

function Requirements({ program }: { program: Program }) {
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [phases, rules, templates] = await Promise.all([
        fetchPhases(signal),
        fetchCadenceRules(program.id, signal),
        fetchAgendaTemplates(program.id, signal),
      ]);
      return { phases, rules, templates };
    },
    [program.id],
  );
  const data = useResource(load, { keepPrevious: true });
  if (data.status === 'loading') return <LoadingState label="Loading the meeting requirements…" />;
  if (data.status === 'failed')
    return <LoadFailure what="the meeting requirements" error={data.error} retry={data.retry} />;
  const scopes: Scope[] = [
    { phaseId: null, name: 'Default (every phase without its own)' },
    ...data.data.phases.map((phase: Phase) => ({ phaseId: phase.id, name: phase.name })),
  ];
  return (
    <>
      <Section
        title="How often pairings meet"
        intro="A meeting counts towards the cadence when it took place and lasted at least the minimum. The grace period is how long after the due date a meeting still counts as on time."
      >
        <div className="settings-grid">
          {scopes.map((scope) => (
            <CadenceForm
              key={scope.phaseId ?? 'default'}
              programId={program.id}
              scope={scope}
              rule={data.data.rules.find((r) => r.phaseId === scope.phaseId)}
            />
          ))}
        </div>
      </Section>
      <Section
        title="Agenda templates"
        intro="Each new meeting gets the topics of the student’s phase (or the default). Required topics are expected to be discussed; the student and mentor can add their own before the meeting. Changes apply to meetings proposed from now on."
      >
        {scopes.map((scope) => (
          <TemplateForm
            key={scope.phaseId ?? 'default'}
            programId={program.id}
            scope={scope}
            template={data.data.templates.find((t) => t.phaseId === scope.phaseId)}
          />
        ))}
      </Section>
    </>
  );
}

type CadenceDraft = { count: string; unit: 'week' | 'month'; minutes: string; grace: string };
const CADENCE_FIELDS: Record<string, keyof CadenceDraft> = {
  intervalCount: 'count',
  intervalUnit: 'unit',
  minDurationMinutes: 'minutes',
  graceDays: 'grace',
};

function errorText(error: unknown): string {
  return isApiError(error) ? error.message.replace(/^[\w.]+: /, '') : 'Something went wrong. Please try again.';
}

/** The field a server error names: `topics.2.title` → `topics.2.title`, `graceDays` → `graceDays`. */
function errorField(error: unknown): string | undefined {
  return isApiError(error) && error.field ? error.field : undefined;
}

function CadenceForm({ programId, scope, rule }: { programId: string; scope: Scope; rule: Rule | undefined }) {
  const [saved, setSaved] = useState<CadenceRuleInput | undefined>(rule);
  const [draft, setDraft] = useState<CadenceDraft>(() => ({
    count: rule ? String(rule.intervalCount) : '1',
    unit: rule?.intervalUnit ?? 'month',
    minutes: rule ? String(rule.minDurationMinutes) : '30',
    grace: rule ? String(rule.graceDays) : '7',
  }));
  const [errors, setErrors] = useState<Partial<Record<keyof CadenceDraft, string>>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const set = (key: keyof CadenceDraft, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setOutcome(null);
    const input: CadenceRuleInput = {
      intervalCount: Number(draft.count),
      intervalUnit: draft.unit,
      minDurationMinutes: Number(draft.minutes),
      graceDays: Number(draft.grace),
    };
    const blank = (
      Object.entries({ count: draft.count, minutes: draft.minutes, grace: draft.grace }) as [
        keyof CadenceDraft,
        string,
      ][]
    ).find(([, value]) => value.trim() === '' || !Number.isInteger(Number(value)));
    if (blank) {
      setErrors({ [blank[0]]: 'Enter a whole number' });
      setOutcome({
        tone: 'error',
        text: `The ${scope.name.toLowerCase()} cadence was not saved; the field to fix is marked.`,
      });
      return;
    }
    setSaving(true);
    try {
      await saveCadenceRule(programId, { ...input, phaseId: scope.phaseId });
      setSaved(input);
      setOutcome({ tone: 'success', text: `Saved the cadence for ${scope.name.toLowerCase()}.` });
    } catch (error) {
      const key = CADENCE_FIELDS[errorField(error) ?? ''];
      if (key) setErrors({ [key]: errorText(error) });
      setOutcome({ tone: 'error', text: key ? 'Not saved; the field to fix is marked.' : errorText(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card labelledBy={headingId}>
      <form onSubmit={submit} noValidate aria-labelledby={headingId}>
        <h3 className="card-title" id={headingId}>
          {scope.name}
        </h3>
        <p className="cell-secondary">
          {saved
            ? `Meet every ${saved.intervalCount === 1 ? '' : `${saved.intervalCount} `}${saved.intervalUnit}${saved.intervalCount === 1 ? '' : 's'}, at least ${saved.minDurationMinutes} minutes, ${saved.graceDays} days’ grace.`
            : scope.phaseId === null
              ? 'No default yet: phases without their own rule have no cadence.'
              : 'Uses the default.'}
        </p>
        <div className="form-row">
          <FormField
            label="Every"
            name="intervalCount"
            inputMode="numeric"
            value={draft.count}
            error={errors.count}
            onChange={(event) => set('count', event.target.value)}
          />
          <SelectField
            label="Unit"
            name="intervalUnit"
            value={draft.unit}
            onChange={(event) => set('unit', event.target.value)}
          >
            <option value="week">weeks</option>
            <option value="month">months</option>
          </SelectField>
        </div>
        <FormField
          label="Shortest meeting that counts (minutes)"
          name="minDurationMinutes"
          inputMode="numeric"
          value={draft.minutes}
          error={errors.minutes}
          onChange={(event) => set('minutes', event.target.value)}
        />
        <FormField
          label="Grace period (days)"
          name="graceDays"
          inputMode="numeric"
          value={draft.grace}
          error={errors.grace}
          onChange={(event) => set('grace', event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save cadence'}
            <span className="visually-hidden"> for {scope.name}</span>
          </button>
        </div>
        <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      </form>
    </Card>
  );
}

type TopicDraft = AgendaTopic & { key: number };

function TemplateForm({
  programId,
  scope,
  template,
}: {
  programId: string;
  scope: Scope;
  template: Template | undefined;
}) {
  const [nextKey, setNextKey] = useState(() => template?.topics.length ?? 0);
  const [topics, setTopics] = useState<TopicDraft[]>(() =>
    (template?.topics ?? []).map((topic, key) => ({ ...topic, key })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);
  const headingId = useId();

  const update = (key: number, change: Partial<AgendaTopic>) =>
    setTopics((list) => list.map((topic) => (topic.key === key ? { ...topic, ...change } : topic)));
  const move = (index: number, by: -1 | 1) =>
    setTopics((list) => {
      const next = [...list];
      const [topic] = next.splice(index, 1);
      next.splice(index + by, 0, topic!);
      return next;
    });
  const add = () => {
    setTopics((list) => [...list, { key: nextKey, title: '', required: false, coversPlan: false }]);
    setNextKey((k) => k + 1);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setOutcome(null);
    const empty = topics.findIndex((topic) => topic.title.trim() === '');
    if (empty >= 0) {
      setErrors({ [`topics.${empty}.title`]: 'Give the topic a title, or remove it' });
      setOutcome({ tone: 'error', text: 'Not saved; the topic to fix is marked.' });
      return;
    }
    setSaving(true);
    try {
      const saved = await saveAgendaTemplate(
        programId,
        scope.phaseId,
        topics.map(({ title, required, coversPlan }) => ({ title: title.trim(), required, coversPlan })),
      );
      const mine = saved.find((t) => t.phaseId === scope.phaseId);
      setTopics((mine?.topics ?? []).map((topic, key) => ({ ...topic, key: nextKey + key })));
      setNextKey((k) => k + (mine?.topics.length ?? 0));
      setOutcome({ tone: 'success', text: `Saved the agenda for ${scope.name.toLowerCase()}.` });
    } catch (error) {
      const field = errorField(error);
      // "topics" alone (a topic twice) is shown on the whole list.
      setErrors({ [field && field !== 'topics' ? field : 'topics']: errorText(error) });
      setOutcome({ tone: 'error', text: errorText(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card labelledBy={headingId} className="agenda-template">
      <form onSubmit={submit} noValidate aria-labelledby={headingId}>
        <h3 className="card-title" id={headingId}>
          {scope.name}
        </h3>
        {errors.topics && (
          <p className="field-error" role="alert">
            {errors.topics}
          </p>
        )}
        {topics.length === 0 ? (
          <p className="cell-secondary">
            {scope.phaseId === null ? 'No default topics.' : 'No topics of its own: meetings use the default agenda.'}
          </p>
        ) : (
          <ol className="agenda-topic-list">
            {topics.map((topic, index) => (
              <li key={topic.key} className="agenda-topic">
                <FormField
                  label={`Topic ${index + 1}`}
                  name={`topic-${index}`}
                  value={topic.title}
                  maxLength={200}
                  error={errors[`topics.${index}.title`]}
                  onChange={(event) => update(topic.key, { title: event.target.value })}
                />
                <div className="agenda-topic-options">
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={topic.required}
                      onChange={(event) => update(topic.key, { required: event.target.checked })}
                    />
                    <span>
                      Required<span className="visually-hidden"> (topic {index + 1})</span>
                    </span>
                  </label>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={topic.coversPlan}
                      onChange={(event) => update(topic.key, { coversPlan: event.target.checked })}
                    />
                    <span>
                      Covers the development plan<span className="visually-hidden"> (topic {index + 1})</span>
                    </span>
                  </label>
                  <div className="button-row">
                    <button
                      type="button"
                      className="button button-small"
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      Up<span className="visually-hidden">: move topic {index + 1} earlier</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={index === topics.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      Down<span className="visually-hidden">: move topic {index + 1} later</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setTopics((list) => list.filter((t) => t.key !== topic.key))}
                    >
                      Remove<span className="visually-hidden"> topic {index + 1}</span>
                    </button>
                  </div>
                </div>
              </li>
            ))}
          </ol>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={add}>
            Add a topic<span className="visually-hidden"> to {scope.name}</span>
          </button>
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save agenda'}
            <span className="visually-hidden"> for {scope.name}</span>
          </button>
        </div>
        <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      </form>
    </Card>
  );
}
