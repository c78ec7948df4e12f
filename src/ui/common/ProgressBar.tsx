// Runs on the page: an accessible progress bar with a caption.
interface ProgressBarProps {
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  label: string;
  children?: React.ReactNode;
}

export function ProgressBar({ fraction, label, children }: ProgressBarProps) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <div className={percent === null ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: `${percent ?? 30}%` }} />
      </div>
      <div className="progress-caption">{children}</div>
    </div>
  );
}
