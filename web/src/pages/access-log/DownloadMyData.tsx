import { useState } from 'react';
import { fetchMyDataExport } from '../../api/access-log.ts';
import { isApiError } from '../../api/client.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';

const FILE_NAME = 'medmentor-my-data.json';

/**
 * Saves everything medmentor holds about the person as a JSON file. The file is fetched and
 * handed to the browser through an object URL: the CSP allows no inline script, and a plain
 * link would bypass the client's handling of an expired session.
 */
export function DownloadMyData() {
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setState('busy');
    setError(null);
    try {
      const blob = await fetchMyDataExport();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = FILE_NAME;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked once the browser has started the download.
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      setState('done');
    } catch (caught) {
      setState('idle');
      setError(isApiError(caught) ? caught.message : 'We could not prepare your data. Please try again.');
    }
  };

  return (
    <div className="download-data">
      <div>
        <p className="download-data-title">Your data</p>
        <p className="muted">
          Download everything medmentor holds about you, including this record of access, as one JSON file.
        </p>
      </div>
      <button type="button" className="button button-secondary" onClick={download} disabled={state === 'busy'}>
        {state === 'busy' ? 'Preparing your data…' : 'Download my data'}
      </button>
      <LiveRegion politeness="polite">
        {state === 'done' && <Alert tone="success" title={`Your data was saved as ${FILE_NAME}.`} />}
      </LiveRegion>
      <LiveRegion>{error && <Alert tone="error" title={error} />}</LiveRegion>
    </div>
  );
}
