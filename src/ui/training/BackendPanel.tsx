// Runs on the page: which tfjs backend trains, why, and what was tried before it.
import type { BackendInfo } from '../../workers/backend-choice';

export function BackendPanel({ info }: { info: BackendInfo }) {
  const tried = info.attempts.filter((attempt) => !attempt.ok);
  return (
    <div className="backend-panel" data-testid="backend-panel">
      <strong>Backend: {info.backend.toUpperCase()}</strong> — {info.reason}
      {info.device && <span className="muted"> · {info.device}</span>}
      {tried.length > 0 && (
        <details>
          <summary>Other backends</summary>
          <ul>
            {tried.map((attempt) => (
              <li key={attempt.backend}>
                {attempt.backend}: {attempt.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
