import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchNotifications, markAllNotificationsRead, markNotificationRead } from '../../api/mentoring.ts';
import type { Notification } from '../../../../common/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { announceNotificationsChanged } from '../../components/use-unread-notifications.ts';
import { formatDateTime } from '../../format.ts';

/** A link the server made ("/meetings/…") is followed inside the app; anything else is left as it is. */
const isAppLink = (link: string) => link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/api/');

export function NotificationsPage() {
  const resource = useResource(fetchNotifications);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const markAll = async () => {
    if (resource.status !== 'loaded') return;
    setBusy(true);
    try {
      await markAllNotificationsRead();
      setError(null);
      resource.reload();
      announceNotificationsChanged();
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const open = (notification: Notification) => {
    if (notification.read) return;
    // Best effort: the page it leads to is what matters.
    void markNotificationRead(notification.id).then(announceNotificationsChanged, () => undefined);
  };

  return (
    <>
      <PageHeader title="Notifications">
        <p className="lead">
          Meeting proposals, changes and reminders.{' '}
          <Link to="/settings/notifications">Choose which also come by email</Link>
        </p>
      </PageHeader>
      {resource.status === 'loading' && <LoadingState label="Loading your notifications…" />}
      {resource.status === 'failed' && (
        <LoadFailure what="your notifications" error={resource.error} retry={resource.retry} />
      )}
      {resource.status === 'loaded' && (
        <div className="page-body">
          <div className="toolbar">
            <p className="results-count" role="status">
              {resource.data.unread === 0 ? 'All read' : `${resource.data.unread} unread`}
            </p>
            {resource.data.unread > 0 && (
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={busy}
                onClick={() => void markAll()}
              >
                Mark all read
              </button>
            )}
          </div>
          {error && (
            <Alert tone="error" role="alert" title="Could not mark them read">
              <p>{error.message}</p>
            </Alert>
          )}
          {resource.data.notifications.length === 0 ? (
            <Card className="empty-state">
              <h2>No notifications yet</h2>
              <p>When a meeting is proposed, confirmed, changed or due, you will hear about it here.</p>
            </Card>
          ) : (
            <ul className="stack-list" aria-label="Your notifications">
              {resource.data.notifications.map((notification) => (
                <li key={notification.id}>
                  <Card className={notification.read ? 'meeting-card' : 'meeting-card unread-item'}>
                    <div className="meeting-card-header">
                      <h2 className="card-title">
                        {isAppLink(notification.link) ? (
                          <Link to={notification.link} onClick={() => open(notification)}>
                            {notification.title}
                          </Link>
                        ) : (
                          notification.title
                        )}
                      </h2>
                      {!notification.read && <span className="badge">Unread</span>}
                    </div>
                    {notification.body && <p>{notification.body}</p>}
                    <p className="item-meta">{formatDateTime(notification.createdAt)}</p>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
