/** Words for what an escalation shares, used by the mentor's, the contact's and the director's pages. */
export interface Shares {
  meetingSummaries: number;
  developmentPlan: boolean;
  records: boolean;
  alerts: boolean;
}

export function describeShares(shares: Shares): string[] {
  const words = ['the reason'];
  if (shares.meetingSummaries > 0)
    words.push(
      shares.meetingSummaries === 1
        ? 'the last meeting’s summary'
        : `summaries of the last ${shares.meetingSummaries} meetings`,
    );
  if (shares.developmentPlan) words.push('the development plan');
  if (shares.records) words.push('shared records');
  if (shares.alerts) words.push('early-warning alerts');
  return words;
}
