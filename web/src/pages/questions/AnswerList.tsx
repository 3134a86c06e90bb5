import type { PublicAnswer } from '../../../../common/questions.ts';
import { ReportForm } from './ReportForm.tsx';

/** A question's answers as the asker and the FAQ show them, each with a way to report it. */
export function AnswerList({ questionId, answers }: { questionId: string; answers: PublicAnswer[] }) {
  if (answers.length === 0) return <p className="muted">No answer yet. Mentors usually answer within a few days.</p>;
  return (
    <ul className="answer-list">
      {answers.map((answer) => (
        <li key={answer.id} className="answer">
          <p className="answer-body">{answer.body}</p>
          <p className="answer-meta">
            {answer.mentorName}, {answer.answeredOn}
          </p>
          <ReportForm questionId={questionId} answerId={answer.id} what="answer" />
        </li>
      ))}
    </ul>
  );
}
