/**
 * What a mentor sees of their mentee's records: a pure core with no I/O. The program sets a
 * default per category; the student's own choice, while its dates hold, overrides it. A category
 * with neither is not shared: consent fails closed.
 */
import { RECORD_CATEGORIES, type RecordCategory } from '../../../../common/records.ts';

export interface SharingChoice {
  category: RecordCategory;
  shared: boolean;
  startsOn: string;
  endsOn: string;
}

/** The last day of the academic year `today` is in: 30 June, this year or next. */
export function academicYearEnd(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) <= '06-30' ? `${year}-06-30` : `${year + 1}-06-30`;
}

/** The student's choice for a category if it holds today, else undefined. */
export function choiceInForce(choices: readonly SharingChoice[], category: RecordCategory, today: string) {
  return choices.find((c) => c.category === category && c.startsOn <= today && today <= c.endsOn);
}

/** The categories the mentor sees today, in the fixed category order. */
export function sharedCategories(
  programDefaults: ReadonlyMap<RecordCategory, boolean>,
  choices: readonly SharingChoice[],
  today: string,
): RecordCategory[] {
  return RECORD_CATEGORIES.filter(
    (category) => choiceInForce(choices, category, today)?.shared ?? programDefaults.get(category) ?? false,
  );
}
