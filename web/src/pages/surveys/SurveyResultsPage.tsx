import { lazy, Suspense, useCallback } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { ItemResult } from '../../../../common/surveys.ts';
import { fetchSurveyResults } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';

const LikertChart = lazy(() => import('./LikertChart.tsx'));

/** A survey's aggregates: a bar chart and a table per Likert question, shuffled free text; or why they are withheld. */
export function SurveyResultsPage() {
  const { surveyId = '' } = useParams();
  const [params] = useSearchParams();
  const mine = params.get('about') === 'me';
  const load = useCallback((signal: AbortSignal) => fetchSurveyResults(surveyId, mine, signal), [surveyId, mine]);
  const results = useResource(load);
  if (results.status === 'loading') return <LoadingState />;
  if (results.status === 'failed')
    return <LoadFailure error={results.error} retry={results.retry} what="the results" />;
  const { title, minResponses, result } = results.data;
  return (
    <>
      <PageHeader title={title} eyebrow={mine ? 'Feedback about you' : 'Survey results'} />
      {result.status === 'withheld' ? (
        <Alert
          tone="info"
          title={`Withheld: results appear once the survey has closed with at least ${minResponses} responses.`}
        >
          <p>
            {result.reason === 'still_open'
              ? 'The survey is still open. Results stay hidden until it closes, so nobody can tell what the last person answered.'
              : `Fewer than ${minResponses} people responded, so showing totals could reveal individual answers.`}
          </p>
        </Alert>
      ) : (
        <>
          <p>{result.responses} responses. Only totals are shown; free-text answers are in random order.</p>
          {result.items.map((item, index) => (
            <ItemResultView key={item.itemId} item={item} number={index + 1} />
          ))}
        </>
      )}
    </>
  );
}

function ItemResultView({ item, number }: { item: ItemResult; number: number }) {
  if (item.kind === 'text') {
    return (
      <section className="result-item" aria-labelledby={`item-${item.itemId}`}>
        <h2 id={`item-${item.itemId}`}>
          {number}. {item.prompt}
        </h2>
        {item.answers.length === 0 ? (
          <p className="muted">No written answers.</p>
        ) : (
          <ul className="text-answers">
            {item.answers.map((answer, i) => (
              <li key={i}>{answer}</li>
            ))}
          </ul>
        )}
      </section>
    );
  }
  return (
    <section className="result-item" aria-labelledby={`item-${item.itemId}`}>
      <h2 id={`item-${item.itemId}`}>
        {number}. {item.prompt}
      </h2>
      <p>
        Mean: <strong>{item.mean === null ? '—' : item.mean.toFixed(2)}</strong> on a scale of 1 ({item.labels[0]}) to 5
        ({item.labels[4]})
      </p>
      <div className="result-grid">
        <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
          <LikertChart labels={item.labels} counts={item.counts} />
        </Suspense>
        <TableFrame label={`Responses to question ${number}`}>
          <table className="data-table">
            <caption className="visually-hidden">Responses to “{item.prompt}” by answer</caption>
            <thead>
              <tr>
                <th scope="col">Answer</th>
                <th scope="col" className="numeric">
                  Responses
                </th>
              </tr>
            </thead>
            <tbody>
              {item.labels.map((label, i) => (
                <tr key={i}>
                  <th scope="row">
                    {i + 1} · {label}
                  </th>
                  <td className="numeric">{item.counts[i]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      </div>
    </section>
  );
}
