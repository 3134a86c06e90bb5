import { Link } from 'react-router';
import { fetchWellbeingInbox } from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Section } from '../../components/Section.tsx';
import { StatGrid, StatTile } from '../../components/StatTile.tsx';

/** The wellbeing contact's part of the home page: how many escalations they can open, and where. */
export function WellbeingHomeSection({ eyebrow }: { eyebrow?: string | undefined }) {
  const inbox = useResource(fetchWellbeingInbox);
  return (
    <Section eyebrow={eyebrow} title="Your safety escalations">
      {inbox.status === 'loading' && <LoadingState label="Loading your escalations…" />}
      {inbox.status === 'failed' && <LoadFailure what="your escalations" error={inbox.error} retry={inbox.retry} />}
      {inbox.status === 'loaded' && (
        <>
          <StatGrid label="Your safety escalations at a glance">
            <StatTile
              label="Open to you"
              value={inbox.data.escalations.length}
              hint="Mentors asked for your help; each closes on its date"
              tone={inbox.data.escalations.length > 0 ? 'attention' : 'neutral'}
            />
          </StatGrid>
          <p>
            <Link to="/wellbeing-inbox">Open your safety escalations</Link>
          </p>
        </>
      )}
    </Section>
  );
}
