import { useCallback, useId, useState, type FormEvent } from 'react';
import type { AskedQuestion } from '../../../../common/questions.ts';
import { isApiError } from '../../api/client.ts';
import {
  askQuestion,
  fetchPrivateQuestions,
  fetchQuestionPrograms,
  privateLink,
  readInbox,
  removeFromInbox,
  saveToInbox,
  searchFaq,
} from '../../api/questions.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { AnonymityExplained } from './anonymity-text.tsx';
import { AnswerList } from './AnswerList.tsx';

/** Ask anonymously, read the answers in this browser's anonymous inbox, and search the program's FAQ. */
export function QuestionsPage() {
  const programs = useResource(fetchQuestionPrograms);
  const [inboxVersion, setInboxVersion] = useState(0);

  if (programs.status === 'loading') return <LoadingState />;
  if (programs.status === 'failed')
    return <LoadFailure error={programs.error} retry={programs.retry} what="your programs" />;
  const askable = programs.data.filter((p) => p.canAsk);
  return (
    <>
      <PageHeader title="Ask anonymously">
        <p>Questions you would rather not ask in person, answered by the mentors of your program.</p>
      </PageHeader>
      {askable.length > 0 ? (
        <Section title="Ask a question">
          <AnonymityExplained />
          <AskForm programs={askable} onAsked={() => setInboxVersion((n) => n + 1)} />
        </Section>
      ) : (
        <Alert tone="info" title="Asking is for students of a program." />
      )}
      {askable.length > 0 && <Inbox key={inboxVersion} />}
      {programs.data.length > 0 && <FaqSearch programs={programs.data} />}
    </>
  );
}

function AskForm({ programs, onAsked }: { programs: { id: string; name: string }[]; onAsked: () => void }) {
  const programFieldId = useId();
  const [programId, setProgramId] = useState(programs[0]!.id);
  const [body, setBody] = useState('');
  const [publishConsent, setPublishConsent] = useState(false);
  const [error, setError] = useState<string>();
  const [asked, setAsked] = useState<AskedQuestion>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const result = await askQuestion(programId, { body, publishConsent });
      saveToInbox(result.token);
      setAsked(result);
      setBody('');
      onAsked();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Your question could not be sent.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="ask-form" onSubmit={submit}>
      {asked && (
        <Alert tone="success" takeFocus title="Your question was sent anonymously.">
          <p>This is your private link to the answers. It is saved in this browser’s anonymous inbox below.</p>
          <label className="field-label" htmlFor={`${programFieldId}-link`}>
            Private link
          </label>
          <input id={`${programFieldId}-link`} className="input" readOnly value={privateLink(asked.token)} />
        </Alert>
      )}
      {programs.length > 1 && (
        <div className="field">
          <label className="field-label" htmlFor={programFieldId}>
            Program
          </label>
          <select
            id={programFieldId}
            className="input select"
            value={programId}
            onChange={(event) => setProgramId(event.target.value)}
          >
            {programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <TextAreaField
        label="Your question"
        name="body"
        hint="At least 10 characters. Leave out anything that identifies you."
        rows={5}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        error={error}
        maxLength={2000}
        required
      />
      <div className="checkbox-field">
        <input
          id={`${programFieldId}-consent`}
          type="checkbox"
          checked={publishConsent}
          onChange={(event) => setPublishConsent(event.target.checked)}
        />
        <label htmlFor={`${programFieldId}-consent`}>
          The director may publish my question and its answer in the program’s FAQ
        </label>
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send anonymously'}
      </button>
    </form>
  );
}

function Inbox() {
  const load = useCallback((signal: AbortSignal) => fetchPrivateQuestions(readInbox(), signal), []);
  const questions = useResource(load);
  return (
    <Section
      title="My anonymous inbox"
      intro={<p>Questions asked from this browser. Only this browser knows about them.</p>}
    >
      {questions.status === 'loading' && <LoadingState />}
      {questions.status === 'failed' && (
        <LoadFailure error={questions.error} retry={questions.retry} what="your questions" />
      )}
      {questions.status === 'loaded' && questions.data.length === 0 && (
        <p className="muted">No questions from this browser yet.</p>
      )}
      {questions.status === 'loaded' && questions.data.length > 0 && (
        <ul className="question-list">
          {questions.data.map((q) => (
            <li key={q.questionId} className="question-card">
              <p className="question-meta">
                {q.programName} · asked {q.askedOn}
              </p>
              <p className="question-body">{q.body}</p>
              {q.hidden ? (
                <p className="muted">The moderator hid this question.</p>
              ) : (
                <AnswerList questionId={q.questionId} answers={q.answers} />
              )}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  removeFromInbox(q.token);
                  questions.reload();
                }}
              >
                Remove from this browser
              </button>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function FaqSearch({ programs }: { programs: { id: string; name: string }[] }) {
  const id = useId();
  const [programId, setProgramId] = useState(programs[0]!.id);
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query, 250);
  const load = useCallback((signal: AbortSignal) => searchFaq(programId, q, signal), [programId, q]);
  const entries = useResource(load, { keepPrevious: true });
  return (
    <Section title="Program FAQ" intro={<p>Questions other students asked, with answers the director approved.</p>}>
      <div className="faq-controls">
        {programs.length > 1 && (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-program`}>
              Program
            </label>
            <select
              id={`${id}-program`}
              className="input select"
              value={programId}
              onChange={(event) => setProgramId(event.target.value)}
            >
              {programs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label className="field-label" htmlFor={`${id}-q`}>
            Search the FAQ
          </label>
          <input
            id={`${id}-q`}
            type="search"
            className="input"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
      </div>
      {entries.status === 'loading' && <LoadingState />}
      {entries.status === 'failed' && <LoadFailure error={entries.error} retry={entries.retry} what="the FAQ" />}
      {entries.status === 'loaded' && (
        <div aria-live="polite">
          {entries.data.length === 0 ? (
            <p className="muted">{q ? 'Nothing in the FAQ matches your search.' : 'The FAQ is empty so far.'}</p>
          ) : (
            <ul className="question-list">
              {entries.data.map((entry) => (
                <li key={entry.questionId} className="question-card">
                  <h3 className="question-body">{entry.question}</h3>
                  <AnswerList questionId={entry.questionId} answers={entry.answers} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}
