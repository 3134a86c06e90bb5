import { useCallback, useState, type FormEvent } from 'react';
import type { ProgramLexicon } from '../../../../common/review.ts';
import {
  COMPETENCY_DOMAIN_LABELS,
  COMPETENCY_DOMAINS,
  type CompetencyDomain,
  type LexiconEditsInput,
} from '../../../../common/themes.ts';
import { isApiError } from '../../api/client.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { fetchProgramLexicon, saveProgramLexicon } from '../../api/review.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Theme lexicon';

type ThemeEdit = NonNullable<LexiconEditsInput['themes']>[number];
/** Which form made the edit being saved, so a refusal is shown at that form's field. */
type FormName = 'cues' | 'theme' | 'off' | 'list';
type FieldErrors = Partial<Record<'theme' | 'phrases' | 'key' | 'label' | 'domain' | 'general', string>>;

/** A program director's edits to the words the review uses to find themes in narrative evaluations. */
export function LexiconPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'director')}
      title={TITLE}
      audience="program directors"
      purpose="Directors tune the words the records review uses to find recurring themes in narrative evaluations."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            The records review finds themes in narrative evaluations by their cue phrases. Add the words your assessors
            use, add a theme your program tracks, or turn off one it does not. A change applies to the next review a
            mentor opens.
          </p>
        }
      >
        {(program) => <ProgramLexiconEditor program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

const phrasesOf = (text: string) =>
  text
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);

/** Adds `change` to the program's edit of theme `key` (or a new edit); returns the edits and its index. */
function withThemeEdit(edits: LexiconEditsInput, key: string, change: Partial<ThemeEdit>) {
  const themes = [...(edits.themes ?? [])];
  let index = themes.findIndex((t) => t.key === key);
  if (index < 0) {
    themes.push({ key, ...change });
    index = themes.length - 1;
  } else {
    const current = themes[index]!;
    themes[index] = {
      ...current,
      ...change,
      ...(change.addCues ? { addCues: [...(current.addCues ?? []), ...change.addCues] } : {}),
    };
  }
  return { edits: { ...edits, themes }, index };
}

/** The server names the field (`edits.themes.3.addCues.0.phrase`): put its message at the form's field. */
function fieldErrorFor(field: string | undefined, index: number, message: string): FieldErrors {
  const prefix = `edits.themes.${index}.`;
  if (!field?.startsWith(prefix)) return { general: field ? `${field}: ${message}` : message };
  const rest = field.slice(prefix.length);
  if (rest.startsWith('addCues') || rest.startsWith('removeCues')) return { phrases: message };
  if (rest.startsWith('label')) return { label: message };
  if (rest.startsWith('domain')) return { domain: message };
  return { key: message, theme: message };
}

function ProgramLexiconEditor({ program }: { program: Program }) {
  const load = useCallback((signal: AbortSignal) => fetchProgramLexicon(program.id, signal), [program.id]);
  const resource = useResource(load);
  if (resource.status === 'loading') return <LoadingState label="Loading the lexicon…" />;
  if (resource.status === 'failed')
    return <LoadFailure what="the lexicon" error={resource.error} retry={resource.retry} />;
  return <Editor key={resource.data.updatedAt ?? 'default'} initial={resource.data} programId={program.id} />;
}

function Editor({ initial, programId }: { initial: ProgramLexicon; programId: string }) {
  const [lexicon, setLexicon] = useState(initial);
  const [busy, setBusy] = useState<FormName | null>(null);
  const [errors, setErrors] = useState<{ form: FormName; fields: FieldErrors } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const themes = lexicon.lexicon.domains.flatMap((d) =>
    d.themes.map((t) => ({ key: t.key, label: t.label, domain: d.key, cues: t.cues })),
  );
  const edits = lexicon.edits as LexiconEditsInput;
  const turnedOff = (edits.themes ?? []).filter((t) => t.enabled === false);

  /** Saves the edits; true when the server took them. */
  const save = async (form: FormName, next: LexiconEditsInput, index: number, done: string): Promise<boolean> => {
    setBusy(form);
    setErrors(null);
    setSaved(null);
    try {
      setLexicon(await saveProgramLexicon(programId, next));
      setSaved(done);
      return true;
    } catch (caught) {
      const message = isApiError(caught) ? caught.message.replace(/^[\w.]+: /, '') : 'The change could not be saved.';
      setErrors({ form, fields: fieldErrorFor(isApiError(caught) ? caught.field : undefined, index, message) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  const errorsOf = (form: FormName): FieldErrors => (errors?.form === form ? errors.fields : {});

  return (
    <>
      <div className="live-region" aria-live="polite" aria-atomic="true">
        {saved && <Alert tone="success" title={saved} />}
      </div>
      {lexicon.problems.length > 0 && (
        <Alert tone="warning" title="Some saved edits no longer apply" role="status">
          <p>Reviews use the default lexicon until these are fixed:</p>
          <ul>
            {lexicon.problems.map((p) => (
              <li key={p.field}>
                {p.field}: {p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <p className="muted">
        {lexicon.updatedAt
          ? `Last changed by ${lexicon.updatedBy} on ${formatDateTime(lexicon.updatedAt)}.`
          : 'The program uses the default lexicon.'}
      </p>
      <div className="records-review-lexicon-forms">
        <AddCuesForm
          themes={themes}
          busy={busy === 'cues'}
          errors={errorsOf('cues')}
          onSubmit={(key, phrases, weak) => {
            const { edits: next, index } = withThemeEdit(edits, key, {
              addCues: phrases.map((phrase) => ({ phrase, weight: weak ? 0.5 : 1 })),
            });
            const label = themes.find((t) => t.key === key)?.label ?? key;
            return save(
              'cues',
              next,
              index,
              `Added ${phrases.length} cue phrase${phrases.length === 1 ? '' : 's'} to “${label}”.`,
            );
          }}
        />
        <AddThemeForm
          busy={busy === 'theme'}
          errors={errorsOf('theme')}
          onSubmit={(theme) => {
            const { edits: next, index } = withThemeEdit(edits, theme.key, {
              domain: theme.domain,
              label: theme.label,
              addCues: theme.phrases.map((phrase) => ({ phrase })),
            });
            return save('theme', next, index, `Added the theme “${theme.label}”.`);
          }}
        />
        <TurnOffForm
          themes={themes}
          busy={busy === 'off'}
          errors={errorsOf('off')}
          onSubmit={(key) => {
            const { edits: next, index } = withThemeEdit(edits, key, { enabled: false });
            const label = themes.find((t) => t.key === key)?.label ?? key;
            return save('off', next, index, `Turned off “${label}”.`);
          }}
        />
      </div>
      <Section title="The program’s edits">
        {(edits.themes ?? []).length === 0 && !edits.domains?.length && !edits.polarity && !edits.ignore ? (
          <p className="muted">None: the program uses the default lexicon as it is.</p>
        ) : (
          <ul className="item-list" aria-label="Edits to themes">
            {(edits.themes ?? []).map((edit) => (
              <li key={edit.key} className="item-row">
                <span className="item-main">
                  <span className="item-title">
                    {edit.label ?? themes.find((t) => t.key === edit.key)?.label ?? edit.key}
                  </span>
                  <span className="item-meta">
                    {edit.enabled === false
                      ? 'Turned off'
                      : [
                          edit.domain && edit.label ? `New theme in ${COMPETENCY_DOMAIN_LABELS[edit.domain]}` : null,
                          edit.addCues?.length ? `Cues added: ${edit.addCues.map((c) => c.phrase).join(', ')}` : null,
                          edit.removeCues?.length ? `Cues removed: ${edit.removeCues.join(', ')}` : null,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                  </span>
                </span>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={busy !== null}
                  onClick={() =>
                    void save(
                      'list',
                      { ...edits, themes: (edits.themes ?? []).filter((t) => t.key !== edit.key) },
                      -1,
                      edit.enabled === false ? 'The theme is back on.' : 'The edit was undone.',
                    )
                  }
                >
                  {edit.enabled === false ? 'Turn back on' : 'Undo this edit'}
                  <span className="visually-hidden"> ({edit.key})</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {errors?.form === 'list' && errors.fields.general && (
          <p className="field-error" role="alert">
            {errors.fields.general}
          </p>
        )}
        {turnedOff.length > 0 && (
          <p className="muted">
            {turnedOff.length} theme{turnedOff.length === 1 ? ' is' : 's are'} turned off and not looked for.
          </p>
        )}
      </Section>
      <Section title="Themes the review looks for">
        <details className="chart-table">
          <summary>Show all {themes.length} themes and their cue phrases</summary>
          <ThemesTable lexicon={lexicon} />
        </details>
      </Section>
    </>
  );
}

function GeneralError({ errors }: { errors: FieldErrors }) {
  return errors.general ? (
    <p className="field-error" role="alert">
      {errors.general}
    </p>
  ) : null;
}

function AddCuesForm({
  themes,
  busy,
  errors,
  onSubmit,
}: {
  themes: { key: string; label: string; domain: CompetencyDomain }[];
  busy: boolean;
  errors: FieldErrors;
  onSubmit: (key: string, phrases: string[], weak: boolean) => Promise<boolean>;
}) {
  const [key, setKey] = useState(themes[0]?.key ?? '');
  const [text, setText] = useState('');
  const [weak, setWeak] = useState(false);
  const [local, setLocal] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const phrases = phrasesOf(text);
    if (phrases.length === 0) {
      setLocal('Write at least one cue phrase.');
      return;
    }
    setLocal(null);
    if (await onSubmit(key, phrases, weak)) setText('');
  };
  return (
    <Card as="section" className="form-card" labelledBy="lexicon-add-cues">
      <h2 id="lexicon-add-cues">Add cue phrases to a theme</h2>
      <form className="form" onSubmit={submit} noValidate>
        <SelectField
          label="Theme"
          name="theme"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          error={errors.theme}
        >
          {themes.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label} ({COMPETENCY_DOMAIN_LABELS[t.domain]})
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Cue phrases"
          name="phrases"
          hint="One a line, or separated by commas. Write words in their base form (“struggle” also finds “struggled”); end a word with * to match its beginning."
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={local ?? errors.phrases}
        />
        <label className="check">
          <input type="checkbox" checked={weak} onChange={(e) => setWeak(e.target.checked)} /> Weak cue: counts only
          together with another cue of the theme
        </label>
        <GeneralError errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Add cue phrases'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function AddThemeForm({
  busy,
  errors,
  onSubmit,
}: {
  busy: boolean;
  errors: FieldErrors;
  onSubmit: (theme: { key: string; label: string; domain: CompetencyDomain; phrases: string[] }) => Promise<boolean>;
}) {
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [domain, setDomain] = useState<CompetencyDomain>('patient_care');
  const [text, setText] = useState('');
  const [local, setLocal] = useState<FieldErrors>({});
  const suggestedKey = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: FieldErrors = {};
    if (!label.trim()) problems.label = 'Name the theme.';
    if (phrasesOf(text).length === 0) problems.phrases = 'Write at least one cue phrase.';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const done = await onSubmit({
      key: key.trim() || suggestedKey,
      label: label.trim(),
      domain,
      phrases: phrasesOf(text),
    });
    if (done) {
      setLabel('');
      setKey('');
      setText('');
    }
  };
  return (
    <Card as="section" className="form-card" labelledBy="lexicon-add-theme">
      <h2 id="lexicon-add-theme">Add a theme</h2>
      <form className="form" onSubmit={submit} noValidate>
        <FormField
          label="Name"
          name="label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          error={local.label ?? errors.label}
        />
        <FormField
          label="Key"
          name="key"
          hint={`Lower-case letters, digits and hyphens${suggestedKey ? `; “${suggestedKey}” if left empty` : ''}.`}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          error={errors.key}
        />
        <SelectField
          label="Competency domain"
          name="domain"
          value={domain}
          onChange={(e) => setDomain(e.target.value as CompetencyDomain)}
          error={errors.domain}
        >
          {COMPETENCY_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {COMPETENCY_DOMAIN_LABELS[d]}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Cue phrases"
          name="phrases"
          hint="One a line, or separated by commas."
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={local.phrases ?? errors.phrases}
        />
        <GeneralError errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Add theme'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function TurnOffForm({
  themes,
  busy,
  errors,
  onSubmit,
}: {
  themes: { key: string; label: string; domain: CompetencyDomain }[];
  busy: boolean;
  errors: FieldErrors;
  onSubmit: (key: string) => Promise<boolean>;
}) {
  const [key, setKey] = useState(themes[0]?.key ?? '');
  const chosen = themes.some((t) => t.key === key) ? key : (themes[0]?.key ?? '');
  return (
    <Card as="section" className="form-card" labelledBy="lexicon-turn-off">
      <h2 id="lexicon-turn-off">Turn a theme off</h2>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void onSubmit(chosen);
        }}
        noValidate
      >
        <SelectField
          label="Theme"
          name="theme"
          hint="The review stops looking for it; you can turn it back on below."
          value={chosen}
          onChange={(e) => setKey(e.target.value)}
          error={errors.theme}
        >
          {themes.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label} ({COMPETENCY_DOMAIN_LABELS[t.domain]})
            </option>
          ))}
        </SelectField>
        <GeneralError errors={errors} />
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={busy || themes.length === 0}>
            {busy ? 'Saving…' : 'Turn off'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function ThemesTable({ lexicon }: { lexicon: ProgramLexicon }) {
  return (
    <div className="table-frame" role="region" aria-label="Themes the review looks for" tabIndex={0}>
      <table className="data-table">
        <caption className="visually-hidden">Themes by competency domain, with their cue phrases</caption>
        <thead>
          <tr>
            <th scope="col">Theme</th>
            <th scope="col">Domain</th>
            <th scope="col">Cue phrases</th>
          </tr>
        </thead>
        <tbody>
          {lexicon.lexicon.domains.flatMap((d) =>
            d.themes.map((t) => (
              <tr key={t.key}>
                <th scope="row">
                  {t.label}
                  <span className="cell-secondary">{t.key}</span>
                </th>
                <td>{COMPETENCY_DOMAIN_LABELS[d.key]}</td>
                <td>{t.cues.map((c) => (c.weight < 1 ? `${c.phrase} (weak)` : c.phrase)).join(', ')}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
