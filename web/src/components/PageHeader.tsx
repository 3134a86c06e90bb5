import type { ReactNode } from 'react';
import { useDocumentTitle } from './use-document-title.ts';

interface PageHeaderProps {
  title: string;
  /** The browser tab title when it should differ from the heading (e.g. without a personal name). */
  documentTitle?: string;
  eyebrow?: ReactNode;
  children?: ReactNode;
}

/** The page's one <h1>, which also names the browser tab. */
export function PageHeader({ title, documentTitle, eyebrow, children }: PageHeaderProps) {
  useDocumentTitle(documentTitle ?? title);
  return (
    <div className="page-header">
      {eyebrow && <p className="eyebrow">{eyebrow}</p>}
      <h1>{title}</h1>
      {children && <div className="page-header-body">{children}</div>}
    </div>
  );
}
