import { useRef, useState, type ChangeEvent } from 'react';
import { isApiError } from '../api/client.ts';
import { ImportRefusalDetailsSchema } from '../api/firewall-schemas.ts';
import type { ImportProblem } from '../api/firewall-schemas.ts';

export type ImportStage<R> =
  | { step: 'idle' }
  | { step: 'busy'; action: 'check' | 'import' }
  | { step: 'checked'; result: R }
  | { step: 'imported'; result: R };

export interface ChosenFile {
  name: string;
  text: string;
}

/**
 * The two-step CSV import every import page runs: choose a file (refused above `maxBytes`),
 * "Check file" (a dry run), then "Import". A refusal that lists the file's problems reads as a
 * check that found them (the file changed, or was not checked first); any other failure is shown
 * as it is. The page keeps what is its own: the request, extra fields, and how results read.
 */
export function useCsvImport<R>(options: {
  maxBytes: number;
  /** Shown at the file field when the file is larger than `maxBytes`. */
  tooLarge: string;
  send: (file: ChosenFile, dryRun: boolean) => Promise<R>;
  /** The refusal's problems as the result of a check. */
  refusedAsCheck: (refusal: { errors: ImportProblem[]; rowCount: number }) => R;
  onImported?: (result: R) => void;
  /** Checks the page's own fields first; false stops (the page has shown why). */
  beforeRun?: () => boolean;
}) {
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [stage, setStage] = useState<ImportStage<R>>({ step: 'idle' });
  const [failure, setFailure] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setStage({ step: 'idle' });
    setFailure(null);
    setFileError(undefined);
    setFile(null);
    if (!chosen) return;
    if (chosen.size > options.maxBytes) {
      setFileError(options.tooLarge);
      return;
    }
    try {
      setFile({ name: chosen.name, text: await chosen.text() });
    } catch {
      setFileError('The file could not be read. Choose it again.');
    }
  };

  const run = async (action: 'check' | 'import') => {
    setFailure(null);
    if (options.beforeRun && !options.beforeRun()) return;
    if (!file) {
      setFileError('Choose a CSV file first');
      fileRef.current?.focus();
      return;
    }
    setStage({ step: 'busy', action });
    try {
      const result = await options.send(file, action === 'check');
      setStage({ step: action === 'check' ? 'checked' : 'imported', result });
      if (action === 'import') options.onImported?.(result);
    } catch (error) {
      const refusal = isApiError(error) ? ImportRefusalDetailsSchema.safeParse(error.details) : null;
      if (refusal?.success) {
        const { errors, rowCount } = refusal.data;
        setStage({ step: 'checked', result: options.refusedAsCheck({ errors, rowCount: rowCount ?? 0 }) });
        return;
      }
      setStage({ step: 'idle' });
      setFailure(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
    }
  };

  const checked = stage.step === 'checked' ? stage.result : null;
  return { file, fileError, stage, failure, fileRef, choose, run, checked };
}
