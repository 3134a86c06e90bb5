import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useSession } from '../../session/session-context.ts';

export function NotFoundPage() {
  const { state } = useSession();
  const signedIn = state.status === 'authenticated';
  return (
    <div className="card auth-card auth-card-narrow not-found">
      <PageHeader title="Page not found" eyebrow="Error 404">
        <p className="lead">The address may be mistyped, or the page may have moved.</p>
      </PageHeader>
      <p className="auth-actions">
        <Link className="button button-primary" to={signedIn ? '/' : '/sign-in'}>
          {signedIn ? 'Go to your home page' : 'Go to sign in'}
        </Link>
      </p>
    </div>
  );
}
