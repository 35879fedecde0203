import type { ObservedExecution } from "../scenario/evaluateExecution.js";
import { escapeHtml } from "./escapeHtml.js";

/** Most executions listed: the rest are counted, so a run of thousands keeps a small report. */
const MAX_EXECUTIONS = 200;

/**
 * The report's Step Functions section: one row per execution (name, state machine, status, error),
 * its history's event types listed when expanded. Empty when the run had no execution.
 *
 * @example
 * ```ts
 * const html = executionsSection(result.executions ?? []);
 * ```
 */
export function executionsSection(executions: readonly ObservedExecution[]): string {
  if (executions.length === 0) return "";
  const rows = executions
    .slice(0, MAX_EXECUTIONS)
    .map(
      (execution) =>
        `<tr><td><code>${escapeHtml(execution.id)}</code></td><td>${escapeHtml(execution.stateMachine)}</td>` +
        `<td><span class="disposition d-${execution.status === "SUCCEEDED" ? "processed" : "failed"}">${escapeHtml(execution.status)}</span></td>` +
        `<td>${escapeHtml(execution.error ?? "")}</td>` +
        `<td><details><summary>${execution.history.length} events</summary><ol class="history">${execution.history.map((type) => `<li>${escapeHtml(type)}</li>`).join("")}</ol></details></td></tr>`,
    );
  const note =
    executions.length > MAX_EXECUTIONS
      ? `<p class="note">Showing ${MAX_EXECUTIONS} of ${executions.length} executions; run with <code>--json</code> for all of them.</p>`
      : "";
  return (
    `<section id="executions"><h2>Step Functions executions</h2>${note}` +
    `<table><thead><tr><th>execution</th><th>state machine</th><th>status</th><th>error</th><th>history</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></section>`
  );
}
