/** Words and numbers the message pages share. */

const sizeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** "12 KB", "3.4 MB": a file's size as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
}

export const WAITING_ON_LABELS = {
  message: 'A message',
  meeting_request: 'A meeting request',
} as const;
