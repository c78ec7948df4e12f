// Runs on the page: a clock that re-renders its component every second while `ticking`.
import { useEffect, useState } from 'react';

/** performance.now() as of the last tick; ticks every second while `ticking`. */
export function useClock(ticking: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!ticking) return;
    const id = window.setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(id);
  }, [ticking]);
  return now;
}
