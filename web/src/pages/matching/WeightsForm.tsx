import { useId, useRef, useState, type FormEvent } from 'react';
import type { MatchingWeights, MatchingWeightsInput } from '../../../../common/matching.ts';
import { isApiError } from '../../api/client.ts';
import { saveMatchingWeights } from '../../api/matching.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { TagListInput } from '../../components/TagListInput.tsx';
import { formatDateTime, formatPercent } from '../../format.ts';
import { WEIGHT_TEXT, type WeightKey } from './matching-text.ts';
import { fieldOf, type FieldErrors } from './profile-fields.tsx';

const FIELDS = [...WEIGHT_TEXT.map((w) => w.key), 'commonLanguages'];

/**
 * The program's weight for each attribute of a match, 0 (ignored) to 10. The share each one
 * takes of the score is shown as the sliders move, since that is what a weight means in the end.
 */
export function WeightsForm({ weights, programId }: { weights: MatchingWeights; programId: string }) {
  const id = useId();
  const [values, setValues] = useState<Record<WeightKey, number>>({
    specialty: weights.specialty,
    topics: weights.topics,
    language: weights.language,
    campus: weights.campus,
    preference: weights.preference,
  });
  const [commonLanguages, setCommonLanguages] = useState(weights.commonLanguages);
  const [updatedAt, setUpdatedAt] = useState(weights.updatedAt);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const total = Object.values(values).reduce((sum, value) => sum + value, 0);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    setSaved(null);
    const input: MatchingWeightsInput = { ...values, commonLanguages };
    setSaving(true);
    try {
      const next = await saveMatchingWeights(programId, input);
      setErrors({});
      setUpdatedAt(next.updatedAt);
      setSaved('The weights are saved. They apply the next time a round is run.');
    } catch (error) {
      const field = fieldOf(error, FIELDS);
      if (field && isApiError(error)) {
        setErrors({ [field]: error.message });
        formRef.current?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
      } else {
        setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form ref={formRef} className="form weights-form" noValidate onSubmit={submit} aria-label="Matching weights">
      <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
      <div className="weight-list">
        {WEIGHT_TEXT.map((weight) => {
          const value = values[weight.key];
          const inputId = `${id}-${weight.key}`;
          const error = errors[weight.key];
          return (
            <div key={weight.key} className={error ? 'field weight field-invalid' : 'field weight'}>
              <label className="field-label" htmlFor={inputId}>
                {weight.label}
              </label>
              <p className="field-hint" id={`${inputId}-hint`}>
                {weight.explanation}
              </p>
              {error && (
                <p className="field-error" id={`${inputId}-error`}>
                  <span className="visually-hidden">Error: </span>
                  {error}
                </p>
              )}
              <div className="weight-control">
                <input
                  id={inputId}
                  name={weight.key}
                  type="range"
                  min={0}
                  max={10}
                  step={1}
                  value={value}
                  aria-describedby={`${inputId}-hint ${inputId}-share${error ? ` ${inputId}-error` : ''}`}
                  aria-invalid={error ? true : undefined}
                  onChange={(event) => {
                    setValues((v) => ({ ...v, [weight.key]: Number(event.target.value) }));
                    setErrors((e) => ({ ...e, [weight.key]: undefined }));
                    setSaved(null);
                  }}
                />
                <output className="weight-value" htmlFor={inputId}>
                  {value}
                </output>
              </div>
              <p className="weight-share" id={`${inputId}-share`}>
                {value === 0 ? 'Ignored' : `${formatPercent(value, total)} of the score`}
              </p>
            </div>
          );
        })}
      </div>
      <TagListInput
        label="Common languages"
        addLabel="Add a common language"
        name="commonLanguages"
        hint="Languages everyone shares, such as the language of instruction: sharing one earns nothing."
        values={commonLanguages}
        onChange={(next) => {
          setCommonLanguages(next);
          setErrors((e) => ({ ...e, commonLanguages: undefined }));
          setSaved(null);
        }}
        error={errors.commonLanguages}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save weights'}
        </button>
        <p className="save-status" role="status">
          {saved}
        </p>
      </div>
      {updatedAt && <p className="muted">Last changed {formatDateTime(updatedAt)}.</p>}
    </form>
  );
}
