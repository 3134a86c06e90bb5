import { useId, type ReactNode } from 'react';

interface SectionProps {
  /** The role this part of the page serves, shown above the heading for people with several roles. */
  eyebrow?: string;
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}

/** A titled region of a page; its heading names the landmark for screen-reader navigation. */
export function Section({ eyebrow, title, intro, children }: SectionProps) {
  const headingId = useId();
  return (
    <section className="page-section" aria-labelledby={headingId}>
      <div className="section-heading">
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        <h2 id={headingId}>{title}</h2>
        {intro && <div className="section-intro">{intro}</div>}
      </div>
      {children}
    </section>
  );
}
