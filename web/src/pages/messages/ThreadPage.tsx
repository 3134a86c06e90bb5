import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link, useParams } from 'react-router';
import { ATTACHMENT_TYPES, type Message, type MessageThread } from '../../../../common/messages.ts';
import { isApiError, newIdempotencyKey, type ApiError } from '../../api/client.ts';
import { attachmentUrl, fetchMessageThread, markThreadRead, sendMessage } from '../../api/messages.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime } from '../../format.ts';
import { announceMessagesChanged } from './use-unread-messages.ts';
import { formatBytes } from './message-text.ts';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.txt,.docx,application/pdf,image/png,image/jpeg,text/plain';

/** One pairing's conversation: the messages, what is new, and a composer for the student and the mentor. */
export function ThreadPage() {
  const { pairingId = '' } = useParams();
  const [before, setBefore] = useState<number | undefined>(undefined);
  const load = useCallback(
    (signal: AbortSignal) => fetchMessageThread(pairingId, { before, signal }),
    [pairingId, before],
  );
  const thread = useResource(load, { keepPrevious: true });
  const [earlier, setEarlier] = useState<Message[]>([]);

  if (thread.status === 'loading') {
    return (
      <>
        <PageHeader title="Messages" />
        <LoadingState label="Loading the conversation…" />
      </>
    );
  }
  if (thread.status === 'failed') {
    return (
      <>
        <PageHeader title="Messages" />
        <LoadFailure what="this conversation" error={thread.error} retry={thread.retry} />
      </>
    );
  }
  return (
    <Thread
      key={pairingId}
      data={thread.data}
      earlier={earlier}
      onShowEarlier={() => {
        const page = thread.data.messages;
        setEarlier((kept) => [...page, ...kept]);
        setBefore(page[0]?.seq);
      }}
      reload={() => {
        setEarlier([]);
        if (before === undefined) thread.reload();
        else setBefore(undefined);
      }}
    />
  );
}

function Thread({
  data,
  earlier,
  onShowEarlier,
  reload,
}: {
  data: MessageThread;
  earlier: Message[];
  onShowEarlier: () => void;
  reload: () => void;
}) {
  const other = data.counterpart.name;
  // The newest page shows the "new" divider; pages of earlier messages were read before.
  const messages = [...data.messages, ...earlier];
  const newest = messages.at(-1)?.seq ?? 0;
  const firstNew = messages.find((m) => !m.mine && m.seq > data.lastReadSeq);

  // Once the newest messages are on screen, the thread is read up to them.
  useEffect(() => {
    if (earlier.length > 0 || newest <= data.lastReadSeq) return;
    markThreadRead(data.pairingId, newest).then(announceMessagesChanged, () => {
      // Not marking read only leaves the count as it was; the page works on.
    });
  }, [data.pairingId, data.lastReadSeq, newest, earlier.length]);

  return (
    <>
      <PageHeader title={`Messages with ${other}`} documentTitle="Messages" eyebrow={data.programName}>
        <p className="lead">
          {data.mySide === 'student'
            ? `Only you and ${other} can read this conversation. Each time your mentor opens it, that is written in your access log.`
            : `Only you and ${other} can read this conversation. Each time you open it, that is written in ${other}’s access log.`}
        </p>
        <p>
          <Link to="/messages">All conversations</Link>
        </p>
      </PageHeader>
      <div className="page-body">
        {data.mentorChangeOffered && (
          <Alert tone="info" title="Your mentor has not answered you for a while">
            <p>
              You may ask for another mentor. It is no-fault: you need not give a reason, and your mentor is not told
              who asked or why. <Link to="/mentorship/change">Ask for another mentor</Link>
            </p>
          </Alert>
        )}
        {data.pairingStatus === 'ended' && (
          <Alert tone="info" title="This pairing has ended">
            <p>The conversation is kept for you to read; no new messages can be sent in it.</p>
          </Alert>
        )}
        <Card className="thread-card">
          {data.hasEarlier && earlier.length === 0 && (
            <div className="thread-earlier">
              <button type="button" className="button button-secondary button-small" onClick={onShowEarlier}>
                Show earlier messages
              </button>
            </div>
          )}
          {messages.length === 0 ? (
            <p className="thread-empty">No messages yet. Write the first one below.</p>
          ) : (
            <ol className="message-list" aria-label={`Messages with ${other}`}>
              {messages.map((message) => (
                <MessageItem key={message.id} message={message} isFirstNew={message.id === firstNew?.id} />
              ))}
            </ol>
          )}
          <p className="thread-state">
            {data.awaitingMyReply
              ? `${other} is waiting for your reply.`
              : data.awaitingTheirReply
                ? `Waiting for ${other}’s reply.`
                : ''}
          </p>
        </Card>
        {data.canSend && <Composer data={data} onSent={reload} />}
      </div>
    </>
  );
}

function MessageItem({ message, isFirstNew }: { message: Message; isFirstNew: boolean }) {
  return (
    <>
      {isFirstNew && (
        <li className="message-new-divider">
          <span>New messages</span>
        </li>
      )}
      <li className={message.mine ? 'message message-mine' : 'message'}>
        <p className="message-meta">
          <span className="message-sender">{message.mine ? 'You' : message.senderName}</span>{' '}
          <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
          {isFirstNew && <span className="visually-hidden"> (new)</span>}
        </p>
        {message.body && <p className="message-body">{message.body}</p>}
        {message.attachment && (
          <p className="message-attachment">
            <a href={attachmentUrl(message.attachment.id)} download={message.attachment.fileName}>
              Download {message.attachment.fileName}
            </a>{' '}
            <span className="message-attachment-facts">
              ({ATTACHMENT_TYPES[message.attachment.contentType]}, {formatBytes(message.attachment.sizeBytes)})
            </span>
          </p>
        )}
      </li>
    </>
  );
}

interface FieldErrors {
  body?: string;
  attachment?: string;
}

function Composer({ data, onSent }: { data: MessageThread; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // One key per message: sending again after a lost answer stores it once.
  const [clientKey, setClientKey] = useState(newIdempotencyKey);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const bodyInput = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (body.trim().length === 0 && !file) found.body = 'Write a message or attach a file';
    if (file && file.size > data.attachmentMaxBytes)
      found.attachment = `The file is larger than ${formatBytes(data.attachmentMaxBytes)}; attach a smaller one`;
    setErrors(found);
    setFailure(null);
    if (found.body) return bodyInput.current?.focus();
    if (found.attachment) return fileInput.current?.focus();
    setBusy(true);
    setStatus('Sending…');
    try {
      await sendMessage(data.pairingId, { body, clientKey, file });
      setBody('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      setClientKey(newIdempotencyKey());
      setStatus(`Message sent to ${data.counterpart.name}`);
      onSent();
    } catch (error) {
      if (!isApiError(error)) throw error;
      setStatus('');
      if (error.field === 'attachment') {
        setErrors({ attachment: error.message });
        fileInput.current?.focus();
      } else if (error.field === 'body') {
        setErrors({ body: error.message });
        bodyInput.current?.focus();
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="form-card composer">
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          ref={bodyInput}
          label="Your message"
          name="body"
          rows={4}
          maxLength={10_000}
          value={body}
          error={errors.body}
          onChange={(event) => setBody(event.target.value)}
        />
        <FileField
          inputRef={fileInput}
          hint={`PDF, PNG, JPEG, Word (.docx) or plain text, up to ${formatBytes(data.attachmentMaxBytes)}. The file is checked by what it contains, not by its name.`}
          error={errors.attachment}
          onChange={(chosen) => {
            setFile(chosen);
            setErrors((current) => ({ ...current, attachment: undefined }));
          }}
        />
        {failure && (
          <Alert tone="error" role="alert" title="Your message was not sent">
            <p>{failure.message}</p>
          </Alert>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Send message
          </button>
        </div>
        <LiveRegion politeness="polite">{status && <p className="save-status">{status}</p>}</LiveRegion>
      </form>
    </Card>
  );
}

function FileField({
  inputRef,
  hint,
  error,
  onChange,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  hint: string;
  error: string | undefined;
  onChange: (file: File | null) => void;
}) {
  const id = 'message-attachment';
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        Attach a file (optional)
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <div className="field-control">
        <input
          ref={inputRef}
          id={id}
          name="attachment"
          type="file"
          accept={ACCEPT}
          className="input input-file"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.files?.[0] ?? null)}
        />
      </div>
    </div>
  );
}
