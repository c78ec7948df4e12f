// Runs on the page: shows what went wrong and what to try, in the panel that started the action.
interface ErrorBannerProps {
  title: string;
  message: string;
  hint?: string;
  onDismiss?: () => void;
  testId?: string;
}

export function ErrorBanner({ title, message, hint, onDismiss, testId }: ErrorBannerProps) {
  return (
    <div className="error-banner" role="alert" data-testid={testId}>
      <div>
        <strong>{title}</strong> {message}
        {hint && <div className="error-hint">{hint}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss error">
          ✕
        </button>
      )}
    </div>
  );
}
