/**
 * What a mentor sees of their mentee's records: a pure core with no I/O. The program sets a
 * default per category; a student who makes a choice for a category decides it, from the
 * choice's first day to its last. Consent fails closed: outside those dates (a choice that has
 * not started yet, or has ended) the category is hidden until the student chooses again, and a
 * category with neither a choice nor a default is not shared.
 */
import { RECORD_CATEGORIES, type RecordCategory } from '../../../../common/records.ts';

export interface SharingChoice {
  category: RecordCategory;
  shared: boolean;
  startsOn: string;
  endsOn: string;
}

/** Where a choice stands on `today`: not yet started, in force, or ended. */
export type ChoiceState = 'scheduled' | 'in_force' | 'ended';

/** Days before a sharing choice ends that the student is reminded. */
export const CONSENT_REMINDER_DAYS = 14;

/**
 * The last day of the academic year `today` is in: 30 June, this year or next. The school's year
 * runs July to June (the portfolio's academic years and the compliance terms agree).
 */
export function academicYearEnd(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) <= '06-30' ? `${year}-06-30` : `${year + 1}-06-30`;
}

export function choiceState(choice: Pick<SharingChoice, 'startsOn' | 'endsOn'>, today: string): ChoiceState {
  if (today < choice.startsOn) return 'scheduled';
  return today <= choice.endsOn ? 'in_force' : 'ended';
}

/** The student's choice for a category if it holds today, else undefined. */
export function choiceInForce(choices: readonly SharingChoice[], category: RecordCategory, today: string) {
  return choices.find((c) => c.category === category && choiceState(c, today) === 'in_force');
}

/**
 * The categories the mentor sees today, in the fixed category order: the student's choice while
 * it holds; hidden outside its dates; the program's default only where the student never chose.
 */
export function sharedCategories(
  programDefaults: ReadonlyMap<RecordCategory, boolean>,
  choices: readonly SharingChoice[],
  today: string,
): RecordCategory[] {
  return RECORD_CATEGORIES.filter((category) => {
    const choice = choices.find((c) => c.category === category);
    if (!choice) return programDefaults.get(category) ?? false;
    return choice.shared && choiceState(choice, today) === 'in_force';
  });
}

/** The day a reminder is due for a choice that shares: two weeks before its last day. */
export function reminderDay(endsOn: string): string {
  const date = new Date(`${endsOn}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - CONSENT_REMINDER_DAYS);
  return date.toISOString().slice(0, 10);
}
