import type { ReactNode } from 'react';

interface CardProps {
  children: ReactNode;
  className?: string;
  /** Use "section" with a heading inside when the card is a region of its own. */
  as?: 'div' | 'section' | 'article';
  labelledBy?: string;
}

export function Card({ children, className, as: Element = 'div', labelledBy }: CardProps) {
  return (
    <Element className={className ? `card ${className}` : 'card'} aria-labelledby={labelledBy}>
      {children}
    </Element>
  );
}
