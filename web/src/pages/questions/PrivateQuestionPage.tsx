import { useCallback, useState } from 'react';
import { fetchPrivateQuestions, readInbox, saveToInbox } from '../../api/questions.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { AnswerList } from './AnswerList.tsx';

/** A question opened by its private link: the token is in the address's fragment, never sent in a URL. */
export function PrivateQuestionPage() {
  const token = window.location.hash.slice(1);
  const load = useCallback((signal: AbortSignal) => fetchPrivateQuestions(token ? [token] : [], signal), [token]);
  const questions = useResource(load);
  const [saved, setSaved] = useState(() => readInbox().includes(token));

  return (
    <>
      <PageHeader title="Your anonymous question" />
      {questions.status === 'loading' && <LoadingState />}
      {questions.status === 'failed' && (
        <LoadFailure error={questions.error} retry={questions.retry} what="the question" />
      )}
      {questions.status === 'loaded' && questions.data.length === 0 && (
        <Alert tone="warning" role="alert" title="This link does not open a question.">
          <p>Check that you copied the whole link.</p>
        </Alert>
      )}
      {questions.status === 'loaded' &&
        questions.data.map((q) => (
          <article key={q.questionId} className="question-card">
            <p className="question-meta">
              {q.programName} · asked {q.askedOn}
            </p>
            <p className="question-body">{q.body}</p>
            {q.hidden ? (
              <p className="muted">The moderator hid this question.</p>
            ) : (
              <AnswerList questionId={q.questionId} answers={q.answers} />
            )}
            {saved ? (
              <p className="muted">This question is in this browser’s anonymous inbox.</p>
            ) : (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  saveToInbox(q.token);
                  setSaved(true);
                }}
              >
                Keep in this browser’s anonymous inbox
              </button>
            )}
          </article>
        ))}
    </>
  );
}
