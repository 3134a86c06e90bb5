import { useCallback, useState, type FormEvent } from 'react';
import type { QueueQuestion } from '../../../../common/questions.ts';
import { isApiError } from '../../api/client.ts';
import { answerQuestion, fetchQuestionQueue } from '../../api/questions.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { ProgramSelect } from './ProgramSelect.tsx';
import { useQuestionPrograms } from './use-question-programs.ts';

const FAQ_STATUS_TEXT = { pending: 'waiting for the director', approved: 'in the FAQ', rejected: 'not in the FAQ' };

/** The mentors' queue of anonymous questions in their program. */
export function AnswerQueuePage() {
  const { programs, list, program, choose } = useQuestionPrograms('canAnswer');
  const [status, setStatus] = useState<'unanswered' | 'all'>('unanswered');
  const programId = program?.id;
  const load = useCallback(
    (signal: AbortSignal) => (programId ? fetchQuestionQueue(programId, status, signal) : Promise.resolve([])),
    [programId, status],
  );
  const queue = useResource(load);

  if (programs.status === 'loading') return <LoadingState />;
  if (programs.status === 'failed')
    return <LoadFailure error={programs.error} retry={programs.retry} what="programs" />;
  return (
    <>
      <PageHeader title="Anonymous questions">
        <p>Students of your program asked these without their names. Nobody, not even the app, knows who asked.</p>
      </PageHeader>
      {!program ? (
        <Alert tone="info" title="You do not answer questions in any program." />
      ) : (
        <>
          <div className="toolbar">
            <ProgramSelect programs={list} value={program.id} onChange={choose} />
            <fieldset className="queue-filter">
              <legend className="field-label">Show</legend>
              {(['unanswered', 'all'] as const).map((value) => (
                <label key={value}>
                  <input
                    type="radio"
                    name="queue-status"
                    value={value}
                    checked={status === value}
                    onChange={() => setStatus(value)}
                  />
                  {value === 'unanswered' ? 'Unanswered' : 'All questions'}
                </label>
              ))}
            </fieldset>
          </div>
          {queue.status === 'loading' && <LoadingState />}
          {queue.status === 'failed' && <LoadFailure error={queue.error} retry={queue.retry} what="the questions" />}
          {queue.status === 'loaded' && queue.data.length === 0 && (
            <p className="muted">{status === 'unanswered' ? 'Every question has an answer.' : 'No questions yet.'}</p>
          )}
          {queue.status === 'loaded' && queue.data.length > 0 && (
            <ul className="question-list">
              {queue.data.map((q) => (
                <QueueItem key={q.id} question={q} onAnswered={queue.reload} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function QueueItem({ question, onAnswered }: { question: QueueQuestion; onAnswered: () => void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await answerQuestion(question.id, body);
      setBody('');
      onAnswered();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'The answer could not be saved.');
    }
  }
  return (
    <li className="question-card">
      <p className="question-meta">
        Asked {question.askedOn} ·{' '}
        {question.publishConsent ? 'the asker agreed to the FAQ' : 'private: not for the FAQ'}
      </p>
      <h2 className="question-body">{question.body}</h2>
      {question.answers.length > 0 && (
        <ul className="answer-list">
          {question.answers.map((a) => (
            <li key={a.id} className="answer">
              <p className="answer-body">{a.body}</p>
              <p className="answer-meta">
                {a.mentorName}, {a.answeredOn}
                {question.publishConsent && ` · ${FAQ_STATUS_TEXT[a.faqStatus]}`}
                {a.hidden && ' · hidden by the moderator'}
              </p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <TextAreaField
          label="Your answer"
          name="body"
          rows={4}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          error={error}
          maxLength={5000}
          required
        />
        <button type="submit" className="button button-primary">
          Send answer
        </button>
      </form>
    </li>
  );
}
