import type { ReactNode } from 'react';

/**
 * Lets a wide table scroll sideways on a narrow screen. It is focusable and named so keyboard
 * users can scroll it too (WCAG 2.1.1), and screen readers announce what the region holds.
 */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-frame" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
