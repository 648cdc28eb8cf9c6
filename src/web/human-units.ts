/** 1536 → "1.5 KiB": sizes for people, exact bytes stay in the title attribute. */
export function humanBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 75 → "1 min 15 s", 7200 → "2 h 0 min". */
export function humanSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * What to tell someone waiting: the typical run time less what has passed, or that it runs
 * longer than usual; nothing without an estimate.
 * @example timeLeft(600, 120) === 'about 8 min 0 s left (typically 10 min 0 s)'
 */
export function timeLeft(typicalSeconds: number | null, elapsedSeconds: number): string | null {
  if (typicalSeconds === null) return null;
  const typical = humanSeconds(typicalSeconds);
  const left = typicalSeconds - elapsedSeconds;
  if (left <= 0) return `taking longer than usual (typically ${typical})`;
  return `about ${humanSeconds(left)} left (typically ${typical})`;
}
