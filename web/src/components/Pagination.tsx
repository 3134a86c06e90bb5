import { formatNumber } from '../format.ts';

interface PaginationProps {
  /** What is being paged, for the landmark's name: "Pairings" gives "Pairings pages". */
  label: string;
  offset: number;
  limit: number;
  total: number;
  onChange(offset: number): void;
}

/** "Showing 26–50 of 138" with Previous and Next; hidden when everything fits on one page. */
export function Pagination({ label, offset, limit, total, onChange }: PaginationProps) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  // aria-disabled rather than disabled: a button that disables itself would drop keyboard focus to the page.
  const atStart = offset === 0;
  const atEnd = offset + limit >= total;
  return (
    <nav className="pagination" aria-label={`${label} pages`}>
      <p className="pagination-status">
        Showing {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)}
      </p>
      <div className="pagination-buttons">
        <button
          type="button"
          className="button button-secondary button-small"
          aria-disabled={atStart}
          onClick={() => !atStart && onChange(Math.max(0, offset - limit))}
        >
          Previous<span className="visually-hidden"> page</span>
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-disabled={atEnd}
          onClick={() => !atEnd && onChange(offset + limit)}
        >
          Next<span className="visually-hidden"> page</span>
        </button>
      </div>
    </nav>
  );
}
