import { useCallback, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { fetchModeration, resolveReport, reviewAnswer } from '../../api/questions.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { ProgramSelect } from './ProgramSelect.tsx';
import { useQuestionPrograms } from './use-question-programs.ts';

/** The director's queue: answers to approve into the FAQ, and reports of abuse to act on. */
export function ModerationPage() {
  const { programs, list, program, choose } = useQuestionPrograms('canModerate');
  const programId = program?.id;
  const load = useCallback(
    (signal: AbortSignal) =>
      programId ? fetchModeration(programId, signal) : Promise.resolve({ pendingAnswers: [], reports: [] }),
    [programId],
  );
  const queue = useResource(load);
  const [error, setError] = useState<string>();

  async function act(action: () => Promise<void>) {
    setError(undefined);
    try {
      await action();
      if (queue.status === 'loaded') queue.reload();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'That did not work; please try again.');
    }
  }

  if (programs.status === 'loading') return <LoadingState />;
  if (programs.status === 'failed')
    return <LoadFailure error={programs.error} retry={programs.retry} what="programs" />;
  return (
    <>
      <PageHeader title="Moderate questions" />
      {!program ? (
        <Alert tone="info" title="You moderate no program's questions." />
      ) : (
        <>
          <ProgramSelect programs={list} value={program.id} onChange={choose} />
          {error && <Alert tone="error" role="alert" title={error} />}
          {queue.status === 'loading' && <LoadingState />}
          {queue.status === 'failed' && <LoadFailure error={queue.error} retry={queue.retry} what="the queue" />}
          {queue.status === 'loaded' && (
            <>
              <Section
                title="Answers waiting for the FAQ"
                intro={<p>Only questions whose askers agreed to publishing are here.</p>}
              >
                {queue.data.pendingAnswers.length === 0 ? (
                  <p className="muted">Nothing waits for approval.</p>
                ) : (
                  <ul className="question-list">
                    {queue.data.pendingAnswers.map((a) => (
                      <li key={a.answerId} className="question-card">
                        <h3 className="question-body">{a.question}</h3>
                        <p className="answer-body">{a.answer}</p>
                        <p className="answer-meta">
                          {a.mentorName}, {a.answeredOn}
                        </p>
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button-primary button-small"
                            onClick={() => act(() => reviewAnswer(a.answerId, 'approve'))}
                          >
                            Publish in the FAQ
                          </button>
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            onClick={() => act(() => reviewAnswer(a.answerId, 'reject'))}
                          >
                            Keep out of the FAQ
                          </button>
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
              <Section title="Reports" intro={<p>Reports do not say who sent them.</p>}>
                {queue.data.reports.length === 0 ? (
                  <p className="muted">No open reports.</p>
                ) : (
                  <ul className="question-list">
                    {queue.data.reports.map((r) => (
                      <li key={r.id} className="question-card">
                        <p className="question-meta">
                          {r.answerId ? 'An answer' : 'A question'} reported on {r.reportedOn}
                        </p>
                        <blockquote className="reported-text">{r.reportedText}</blockquote>
                        <p>
                          <strong>Reason:</strong> {r.reason}
                        </p>
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button-danger button-small"
                            onClick={() => act(() => resolveReport(r.id, 'hide'))}
                          >
                            Hide the {r.answerId ? 'answer' : 'question'}
                          </button>
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            onClick={() => act(() => resolveReport(r.id, 'dismiss'))}
                          >
                            Dismiss the report
                          </button>
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            </>
          )}
        </>
      )}
    </>
  );
}
