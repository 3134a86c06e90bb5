import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { PendingSurvey, SubmitResponseBody } from '../../../../common/surveys.ts';
import { isApiError } from '../../api/client.ts';
import { fetchMySurveys, submitSurveyResponse } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';

/** Surveys waiting for the person's answer and, for mentors, the feedback about them. */
export function SurveysPage() {
  const surveys = useResource(fetchMySurveys);
  const [done, setDone] = useState<string>();
  if (surveys.status === 'loading') return <LoadingState />;
  if (surveys.status === 'failed') return <LoadFailure error={surveys.error} retry={surveys.retry} what="surveys" />;
  return (
    <>
      <PageHeader title="Feedback surveys">
        <p>
          Your answers are stored apart from your name: the program knows that you answered, never what you answered.
          Results are shown only as totals, after the survey closes, and only when enough people answered.
        </p>
      </PageHeader>
      {done && <Alert tone="success" role="status" takeFocus title={`Thank you: your answers to “${done}” are in.`} />}
      <Section title="Waiting for your answer">
        {surveys.data.toTake.length === 0 ? (
          <p className="muted">No survey waits for you.</p>
        ) : (
          surveys.data.toTake.map((survey) => (
            <SurveyForm
              key={`${survey.surveyId}:${survey.mentor?.id ?? ''}`}
              survey={survey}
              onDone={() => {
                setDone(survey.title);
                surveys.reload();
              }}
            />
          ))
        )}
      </Section>
      {surveys.data.aboutMe.length > 0 && (
        <Section title="Feedback about your mentoring">
          <ul className="plain-list">
            {surveys.data.aboutMe.map((s) => (
              <li key={s.surveyId}>
                <Link to={`/surveys/${s.surveyId}/results?about=me`}>{s.title}</Link>{' '}
                <span className="muted">
                  ({s.programName}, closes {s.closesOn})
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}

function SurveyForm({ survey, onDone }: { survey: PendingSurvey; onDone: () => void }) {
  const [likert, setLikert] = useState<Record<string, number>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const missing = survey.items.findIndex((item) => item.kind === 'likert' && likert[item.id] === undefined);
    if (missing >= 0) {
      setError(`Question ${missing + 1} needs an answer.`);
      return;
    }
    setBusy(true);
    try {
      await submitSurveyResponse(survey.surveyId, {
        mentorId: survey.mentor?.id ?? null,
        answers: survey.items.flatMap((item): SubmitResponseBody['answers'] => {
          if (item.kind === 'likert') return [{ itemId: item.id, likert: likert[item.id]! }];
          const text = texts[item.id]?.trim();
          return text ? [{ itemId: item.id, text }] : [];
        }),
      });
      onDone();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'Your answers could not be sent.');
    } finally {
      setBusy(false);
    }
  }

  const heading = survey.mentor ? `${survey.title}: about ${survey.mentor.name}` : survey.title;
  return (
    <form className="survey-form" onSubmit={submit} aria-label={heading}>
      <h3>{heading}</h3>
      <p className="muted">
        {survey.programName} · open until {survey.closesOn}
      </p>
      {error && <Alert tone="error" role="alert" title={error} />}
      {survey.items.map((item, index) =>
        item.kind === 'likert' ? (
          <fieldset key={item.id} className="likert">
            <legend>
              {index + 1}. {item.prompt}
            </legend>
            <div className="likert-options">
              {(item.labels ?? []).map((label, point) => (
                <label key={point} className="likert-option">
                  <input
                    type="radio"
                    name={`${survey.surveyId}-${survey.mentor?.id ?? ''}-${item.id}`}
                    value={point + 1}
                    checked={likert[item.id] === point + 1}
                    onChange={() => setLikert((current) => ({ ...current, [item.id]: point + 1 }))}
                    required
                  />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : (
          <TextAreaField
            key={item.id}
            label={`${index + 1}. ${item.prompt}`}
            hint="Optional. Avoid details that identify you."
            name={item.id}
            value={texts[item.id] ?? ''}
            onChange={(event) => setTexts((current) => ({ ...current, [item.id]: event.target.value }))}
            maxLength={5000}
          />
        ),
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send answers anonymously'}
      </button>
    </form>
  );
}
