import { useState } from 'react';
import { fetchQuestionPrograms } from '../../api/questions.ts';
import { useResource } from '../../api/use-resource.ts';

/** The programs where the person may do `what` with questions, and the one the page shows. */
export function useQuestionPrograms(what: 'canAnswer' | 'canModerate') {
  const programs = useResource(fetchQuestionPrograms);
  const [chosen, setChosen] = useState<string>();
  const list = programs.status === 'loaded' ? programs.data.filter((p) => p[what]) : [];
  const program = list.find((p) => p.id === chosen) ?? list[0];
  return { programs, list, program, choose: setChosen };
}
