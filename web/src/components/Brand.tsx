import { Link } from 'react-router';

export function Brand() {
  return (
    <Link to="/" className="brand">
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" />
        <path d="M9 22V10l7 7 7-7v12" />
      </svg>
      <span className="brand-name">medmentor</span>
    </Link>
  );
}
