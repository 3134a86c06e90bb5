import { useEffect, useRef, type ReactNode } from 'react';

export type AlertTone = 'error' | 'warning' | 'success' | 'info';

const ICONS: Record<AlertTone, string> = {
  error: 'M12 7.5v5m0 4v.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z',
  warning: 'M12 8v5m0 3.5v.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  success: 'M20 6 9 17l-5-5',
  info: 'M12 16v-4m0-4h.01M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z',
};

interface AlertProps {
  tone: AlertTone;
  title?: string;
  children?: ReactNode;
  /**
   * "alert" for an error that appears on its own; leave unset when the alert sits inside a
   * <LiveRegion>, which already announces it (a role here would announce it twice).
   */
  role?: 'alert' | 'status';
  /**
   * Moves focus to the alert when it appears. For outcomes that replace the form the person
   * was using, so focus does not fall back to the top of the page and the outcome is read out.
   */
  takeFocus?: boolean;
}

export function Alert({ tone, title, children, role, takeFocus = false }: AlertProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus]);
  return (
    <div className={`alert alert-${tone}`} role={role} ref={ref} tabIndex={takeFocus ? -1 : undefined}>
      <svg className="alert-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={ICONS[tone]} />
      </svg>
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        {children && <div className="alert-text">{children}</div>}
      </div>
    </div>
  );
}

/**
 * A region that stays in the page so assistive technology is already watching it when a
 * message appears; messages inserted together with their live region are often not read.
 */
export function LiveRegion({
  politeness = 'assertive',
  children,
}: {
  politeness?: 'assertive' | 'polite';
  children: ReactNode;
}) {
  return (
    <div className="live-region" aria-live={politeness} aria-atomic="true">
      {children}
    </div>
  );
}
