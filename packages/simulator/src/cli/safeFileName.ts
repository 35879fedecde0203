/**
 * File names for reports, logs and traces made from scenario names, which are user text: every
 * character outside `A-Z a-z 0-9 . _ -` becomes `-` (so `../`, `/`, `\`, drive letters and control
 * characters cannot leave the output folder or corrupt a terminal), leading dots are dropped (no hidden
 * files, no `..`), the result is at most 80 characters, and an empty result becomes `scenario`.
 * Two names that map to the same file get `-2`, `-3`… in order, so no run overwrites another's report.
 *
 * @example
 * ```ts
 * safeFileNames(["../../etc/passwd", "a/b", "a/b"]); // ["etc-passwd", "a-b", "a-b-2"]
 * ```
 */
export function safeFileNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = safeFileName(name);
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    // Case-folded: two names differing only in case are one file on macOS and Windows.
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/**
 * One name made safe as a file name (see `safeFileNames`, which also keeps names apart).
 *
 * @example
 * ```ts
 * safeFileName("/etc/evil\n"); // "etc-evil"
 * ```
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+/, "")
    .replace(/-+$/, "")
    .slice(0, 80)
    .replace(/[.-]+$/, "");
  return cleaned === "" ? "scenario" : cleaned;
}
