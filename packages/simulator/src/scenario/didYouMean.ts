/**
 * The closest known name to a misspelt one, or `undefined` when nothing is close: within an edit
 * distance of max(1, ⌊length / 3⌋), so "sed" → "seed" and "qeue" → "queue" but "x" suggests nothing.
 * Case is ignored; a known name that starts with the input (a truncated name) also counts.
 *
 * @example
 * ```ts
 * import { didYouMean } from "@rebound/simulator";
 * didYouMean("sed", ["name", "seed", "events"]); // "seed"
 * ```
 */
export function didYouMean(input: string, known: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = lower === wanted ? 0 : editDistance(wanted, lower);
    const prefix = wanted.length >= 3 && lower.startsWith(wanted);
    if ((distance <= limit || prefix) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the most common typo:
 * "PSOT" for "POST" is 1, not 2). Names here are short (< 100 chars), so O(n·m) is fine.
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
