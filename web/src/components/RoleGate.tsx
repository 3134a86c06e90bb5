import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Card } from './Card.tsx';
import { PageHeader } from './PageHeader.tsx';

interface RoleGateProps {
  allowed: boolean;
  /** The page's title, kept as its heading when the page is not for this person. */
  title: string;
  /** Who the page is for, e.g. "program directors". */
  audience: string;
  /** What those people use the page for. */
  purpose: string;
  children: ReactNode;
}

/** Shows the page to the people it is for, and tells anyone else plainly that it is not theirs. */
export function RoleGate({ allowed, title, audience, purpose, children }: RoleGateProps) {
  if (allowed) return children;
  return (
    <>
      <PageHeader title={title} />
      <Card className="empty-state">
        <h2>This page is for {audience}</h2>
        <p>
          {purpose} <Link to="/">Go to your home page</Link>.
        </p>
      </Card>
    </>
  );
}
