import { useEffect } from 'react';

/** Names the page in the browser tab and for screen readers announcing the new page. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – medmentor`;
  }, [title]);
}
