import { aggregateLanes } from "./aggregateLanes.js";
import { businessKeyOf } from "./businessKey.js";
import { chartEndMs } from "./chartEndMs.js";
import { escapeHtml } from "./escapeHtml.js";
import { executionsSection } from "./executionsSection.js";
import { formatVirtualDuration } from "./formatVirtualDuration.js";
import { pickOutcomeRows } from "./pickOutcomeRows.js";
import { RUN_DISPOSITIONS, type RunEvent, type RunResult } from "./RunResult.js";
import { attemptSeriesFromEvents, sourceTotals } from "./sourceTotals.js";
import { stopReason } from "./stopReason.js";
import { attemptTimelineSvg, queueDepthSvg } from "./svgCharts.js";

/** Options of the HTML report. */
export interface HtmlReportOptions {
  /** Most outcome rows written (the table stays usable in a browser); the rest are counted. Default 5,000. */
  readonly maxRows?: number;
  /** Characters of each event's record shown; longer records are cut with a note. Default 2,000. */
  readonly maxRecordChars?: number;
  /** A business field (e.g. `orderId`) shown as a column, read from each event's payload or record. */
  readonly businessKey?: string;
  /** Most lanes in the attempt timeline; the least busy sources share the last one. Default 12. */
  readonly maxLanes?: number;
  /**
   * Most characters of outcome rows written: rows stop there (and the page says so), so a run of
   * 100,000 events still gives a report of a few MB. Default 3,000,000.
   */
  readonly maxTableChars?: number;
}

const OPTION_KEYS = ["maxRows", "maxRecordChars", "businessKey", "maxLanes", "maxTableChars"] as const;
/** Rows per page of the outcome table: the browser lays out one page at a time. */
const PAGE_SIZE = 200;

/**
 * One self-contained HTML page for a run: inline CSS, inline SVG charts drawn here, one small inline
 * script for filtering, and a Content-Security-Policy that forbids every external request. It shows
 * the scenario, seed and the command that reproduces the run; the expectations; a timeline of
 * attempts per source over virtual time (successes, failures, throttles); the depth of every DLQ,
 * destination and parking queue over time; totals per source; and the outcome table (filter by text
 * and disposition). Every value that comes from an event is HTML-escaped.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { renderHtmlReport } from "@rebound/simulator";
 * writeFileSync("rebound-report.html", renderHtmlReport(result));
 * ```
 */
export function renderHtmlReport(result: RunResult, options: HtmlReportOptions = {}): string {
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`unknown renderHtmlReport option "${key}"; allowed: ${OPTION_KEYS.join(", ")}`);
    }
  }
  const maxRows = options.maxRows ?? 5000;
  const maxRecordChars = options.maxRecordChars ?? 2000;
  const maxTableChars = options.maxTableChars ?? 3_000_000;
  for (const [name, value] of [
    ["maxRows", maxRows],
    ["maxRecordChars", maxRecordChars],
    ["maxTableChars", maxTableChars],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }

  const range = {
    startMs: result.virtualStartMs,
    endMs: chartEndMs(result, result.virtualStartMs, result.virtualEndMs),
  };
  const series = aggregateLanes(
    result.attemptSeries.length > 0
      ? result.attemptSeries
      : attemptSeriesFromEvents(result.events, range.startMs, range.endMs),
    options.maxLanes ?? 12,
  );
  const axisNote =
    range.endMs < result.virtualEndMs
      ? ` The axis ends ${escapeHtml(formatVirtualDuration(range.endMs - range.startMs))} in, shortly after the last activity; the run went on to ${escapeHtml(formatVirtualDuration(result.virtualEndMs - result.virtualStartMs))} with nothing happening.`
      : "";
  const ok = result.expectations.every((expectation) => expectation.ok);
  const passed = result.expectations.filter((expectation) => expectation.ok).length;
  const title = `${ok ? "✔" : "✘"} ${result.scenario.name}: Rebound simulation`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1><span class="${ok ? "pass" : "fail"}">${ok ? "✔" : "✘"}</span> ${escapeHtml(result.scenario.name)}</h1>
${result.scenario.description === "" ? "" : `<p class="description">${escapeHtml(result.scenario.description)}</p>`}
<dl class="facts">
<dt>Scenario</dt><dd><code>${escapeHtml(result.scenario.file)}</code></dd>
<dt>Stack</dt><dd><code>${escapeHtml(result.stack)}</code></dd>
<dt>Seed</dt><dd><code id="seed">${escapeHtml(String(result.seed))}</code></dd>
<dt>Virtual time</dt><dd>${escapeHtml(formatVirtualDuration(result.virtualEndMs - result.virtualStartMs))} (${escapeHtml(stopReason(result))}), from ${escapeHtml(new Date(result.virtualStartMs).toISOString())}</dd>
<dt>Wall time</dt><dd>${escapeHtml(result.wallMs < 1000 ? `${Math.round(result.wallMs)} ms` : `${(result.wallMs / 1000).toFixed(1)} s`)}</dd>
<dt>Reproduce</dt><dd><code id="reproduce">${escapeHtml(result.reproduce)}</code></dd>
${result.tracePath === undefined ? "" : `<dt>Trace</dt><dd><code>${escapeHtml(result.tracePath)}</code></dd>`}
</dl>
</header>
<main>
<section id="expectations">
<h2>Expectations <small>${passed}/${result.expectations.length} hold</small></h2>
${expectationsList(result)}
</section>
<section>
<h2>Attempts per source over virtual time</h2>
<p class="legend"><span class="swatch ok"></span>success <span class="swatch fail"></span>failure (error, timeout, item failure) <span class="swatch throttle"></span>throttled; each column is ${escapeHtml(formatVirtualDuration(series[0]?.bucketMs ?? 0))} of virtual time, scaled per lane.${axisNote}</p>
${attemptTimelineSvg(series, range)}
</section>
<section>
<h2>Dead-letter, destination and parking queues over virtual time</h2>
${queueDepthSvg(result.queueDepthSeries, range)}
</section>
<section>
<h2>Totals per source</h2>
${totalsTable(result)}
</section>
<section id="outcomes">
<h2>Outcome of every event</h2>
<p class="legend" id="disposition-legend"><span class="swatch ok"></span>processed <span class="swatch fail"></span>dead-lettered, sent to a destination, failed or unfinished <span class="swatch parked"></span>parked (set aside by the function itself) <span class="swatch resting"></span>resting in a queue nothing consumes</p>
${outcomeTable(result.events, range.startMs, { maxRows, maxRecordChars, maxTableChars, businessKey: options.businessKey })}
</section>
${executionsSection(result.executions ?? [])}
${unmodelledSection(result)}
</main>
<footer>Generated by Rebound. Self-contained: no network requests, no external files.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function expectationsList(result: RunResult): string {
  if (result.expectations.length === 0) return "<p>This scenario states no expectations.</p>";
  const items = result.expectations.map(
    (expectation) =>
      `<li class="${expectation.ok ? "pass" : "fail"}"><span class="mark-symbol">${expectation.ok ? "✔" : "✘"}</span> ` +
      `<strong>${escapeHtml(expectation.name)}</strong>${expectation.detail === "" ? "" : `<div class="detail">${escapeHtml(expectation.detail)}</div>`}</li>`,
  );
  return `<ul class="expectations">${items.join("")}</ul>`;
}

function totalsTable(result: RunResult): string {
  const rows = sourceTotals(result);
  if (rows.length === 0) return "<p>No events.</p>";
  const head = ["source", "events", "attempts", ...RUN_DISPOSITIONS, "unfinished"];
  const body = rows.map(
    (row) =>
      `<tr><td>${escapeHtml(row.source)}</td><td class="num">${row.events}</td><td class="num">${row.attempts}</td>` +
      RUN_DISPOSITIONS.map((disposition) => `<td class="num">${row.dispositions[disposition]}</td>`).join(
        "",
      ) +
      `<td class="num">${row.unfinished}</td></tr>`,
  );
  return `<table class="totals"><thead><tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("")}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

function outcomeTable(
  events: readonly RunEvent[],
  startMs: number,
  limits: {
    readonly maxRows: number;
    readonly maxRecordChars: number;
    readonly maxTableChars: number;
    readonly businessKey: string | undefined;
  },
): string {
  const { maxRecordChars, businessKey } = limits;
  if (events.length === 0) return "<p>No per-event outcomes were kept for this run (counts only).</p>";
  const options = ["all", ...RUN_DISPOSITIONS, "unfinished"]
    .map((value) => `<option value="${value}">${value}</option>`)
    .join("");
  // Rows are written in order of interest until the size budget is spent, then shown in the run's order.
  const written: { readonly index: number; readonly html: string }[] = [];
  let tableChars = 0;
  for (const { event, index } of pickOutcomeRows(events, limits.maxRows)) {
    const html = outcomeRow(event, startMs, maxRecordChars, businessKey);
    if (tableChars + html.length > limits.maxTableChars) break;
    written.push({ index, html });
    tableChars += html.length;
  }
  const rows = written.sort((a, b) => a.index - b.index).map((row) => row.html);
  const note =
    rows.length < events.length
      ? `<p class="note">Showing ${rows.length} of ${events.length} events (every event that was not processed comes before processed ones); run with <code>--json</code> for all of them.</p>`
      : "";
  return (
    `<div class="filters"><label>Filter <input id="filter-text" type="search" placeholder="id, ${businessKey === undefined ? "" : `${escapeHtml(businessKey)}, `}source, queue, error…"></label> ` +
    `<label>Disposition <select id="filter-disposition">${options}</select></label> <span id="filter-count">${rows.length} events</span>` +
    `<span class="pager"><button type="button" id="page-previous">‹ previous</button> <span id="page-info"></span> <button type="button" id="page-next">next ›</button></span></div>` +
    note +
    `<table id="outcome-table" data-page-size="${PAGE_SIZE}"><thead><tr><th>event</th>${businessKey === undefined ? "" : `<th>${escapeHtml(businessKey)}</th>`}<th>source</th><th>injected</th><th>attempts</th><th>results</th><th>disposition</th><th>where</th><th>settled</th><th>record</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function outcomeRow(
  event: RunEvent,
  startMs: number,
  maxRecordChars: number,
  businessKey: string | undefined,
): string {
  const disposition = event.disposition ?? "unfinished";
  const marks = event.attempts
    .map((attempt) => {
      const symbol = attempt.result === "success" ? "✔" : attempt.result === "throttled" ? "◆" : "✘";
      const detail = `+${formatVirtualDuration(attempt.atMs - startMs)} ${attempt.result}${attempt.errorType ? ` ${attempt.errorType}` : ""}, batch of ${attempt.batchSize}, request ${attempt.requestId}`;
      const kind = attempt.result === "success" ? "ok" : attempt.result === "throttled" ? "throttle" : "fail";
      return `<span class="attempt ${kind}" title="${escapeHtml(detail)}">${symbol}</span>`;
    })
    .join("");
  const record = event.record === undefined ? "" : recordText(event.record, maxRecordChars);
  return (
    `<tr class="outcome" data-disposition="${escapeHtml(disposition)}">` +
    `<td><code>${escapeHtml(event.id)}</code></td>` +
    (businessKey === undefined
      ? ""
      : `<td class="key">${escapeHtml(businessKeyOf(event, businessKey) ?? "")}</td>`) +
    `<td>${escapeHtml(event.source)}</td>` +
    `<td class="num">+${escapeHtml(formatVirtualDuration(event.injectedAtMs - startMs))}</td>` +
    `<td class="num">${event.attempts.length}</td>` +
    `<td class="attempts">${marks}</td>` +
    `<td><span class="disposition d-${escapeHtml(disposition)}">${escapeHtml(disposition)}</span></td>` +
    `<td>${escapeHtml(event.where ?? "")}${event.reason ? `<div class="detail">${escapeHtml(event.reason)}</div>` : ""}</td>` +
    `<td class="num">${event.settledAtMs === undefined ? "" : `+${escapeHtml(formatVirtualDuration(event.settledAtMs - startMs))}`}</td>` +
    `<td>${record === "" ? "" : `<details><summary>record</summary><pre>${escapeHtml(record)}</pre></details>`}</td>` +
    "</tr>"
  );
}

function unmodelledSection(result: RunResult): string {
  if (result.unmodelled.length === 0) return "";
  const items = result.unmodelled.map(
    (resource) =>
      `<li><code>${escapeHtml(`${resource.type}.${resource.name}`)}</code>${resource.note ? ` ${escapeHtml(resource.note)}` : ""}</li>`,
  );
  return `<section id="unmodelled"><h2>Terraform resources not modelled</h2><ul>${items.join("")}</ul></section>`;
}

function recordText(record: unknown, maxChars: number): string {
  let text: string;
  try {
    text = typeof record === "string" ? record : (JSON.stringify(record, null, 2) ?? String(record));
  } catch {
    text = String(record);
  }
  return text.length > maxChars
    ? `${text.slice(0, maxChars)}\n… (${text.length - maxChars} more characters)`
    : text;
}

const STYLE = `
:root{--ok:#1a7f37;--fail:#cf222e;--throttle:#bf8700;--parked:#8250df;--resting:#0969da;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}header{padding-top:16px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h2 small{font-weight:normal;color:var(--muted)}.description{color:var(--muted);margin:0 0 8px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}.facts dt{color:var(--muted)}.facts dd{margin:0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--bg);padding:1px 4px;border-radius:4px;word-break:break-all}
.pass{color:var(--ok)}.fail{color:var(--fail)}
.expectations{list-style:none;padding:0}.expectations li{padding:6px 10px;border-left:4px solid;margin:4px 0;background:var(--bg)}
.expectations li.pass{border-color:var(--ok)}.expectations li.fail{border-color:var(--fail)}.expectations strong{color:#1f2328}
.detail{color:var(--muted);font-size:12.5px;white-space:pre-wrap}
.chart{display:block;max-width:100%;height:auto;background:#fff}
.lane-bg,.plot-bg{fill:var(--bg)}.lane-label{font-size:12px;fill:#1f2328}.lane-peak,.tick,.legend,.empty{font-size:10.5px;fill:var(--muted)}
.legend{font-size:12px;fill:#1f2328}.axis,.grid{stroke:var(--line);stroke-width:1}
.mark-ok{fill:var(--ok)}.mark-fail{fill:var(--fail)}.mark-throttle{fill:var(--throttle)}
.depth-line{fill:none;stroke-width:2}
p.legend{font-size:12.5px;color:var(--muted)}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.swatch.ok{background:var(--ok)}.swatch.parked{background:var(--parked)}.swatch.resting{background:var(--resting)}.swatch.fail{background:var(--fail)}.swatch.throttle{background:var(--throttle)}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg);position:sticky;top:0}.num{text-align:right;white-space:nowrap}
.attempt{font-weight:bold;margin-right:1px}.attempt.ok{color:var(--ok)}.attempt.fail{color:var(--fail)}.attempt.throttle{color:var(--throttle)}
.disposition{padding:1px 6px;border-radius:10px;background:var(--bg);white-space:nowrap}
.d-processed{color:var(--ok)}.d-dead-lettered,.d-sent-to-destination,.d-failed,.d-unfinished{color:var(--fail)}.d-parked{color:var(--parked)}.d-resting{color:var(--resting)}
.filters{margin:6px 0 10px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}.filters input{width:260px}
#filter-count,.note,#page-info{color:var(--muted)}.pager{margin-left:auto}pre{white-space:pre-wrap;max-height:320px;overflow:auto;margin:4px 0;font-size:12px}
footer{color:var(--muted);font-size:12px;padding:24px 20px}ol.history{margin:4px 0;padding-left:22px;font-size:12px}
`;

/**
 * Filters the outcome table by text and disposition and shows it a page at a time; reads the DOM
 * only, never event data in script.
 */
const SCRIPT = `
(function(){
  var text=document.getElementById("filter-text"),select=document.getElementById("filter-disposition"),count=document.getElementById("filter-count");
  var table=document.getElementById("outcome-table"),previous=document.getElementById("page-previous"),next=document.getElementById("page-next"),info=document.getElementById("page-info");
  if(!text||!select||!table)return;
  var size=Number(table.getAttribute("data-page-size"))||200,page=0,matching=[];
  var rows=Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  function show(){
    var pages=Math.max(1,Math.ceil(matching.length/size));
    if(page>=pages)page=pages-1;
    var from=page*size,to=Math.min(matching.length,from+size);
    rows.forEach(function(row){row.hidden=true;});
    for(var i=from;i<to;i++)matching[i].hidden=false;
    info.textContent=matching.length===0?"no rows":"rows "+(from+1)+"–"+to+" of "+matching.length;
    previous.disabled=page===0;next.disabled=page>=pages-1;
  }
  function apply(){
    var needle=text.value.trim().toLowerCase(),wanted=select.value;
    matching=rows.filter(function(row){
      return (wanted==="all"||row.getAttribute("data-disposition")===wanted)&&(needle===""||row.textContent.toLowerCase().indexOf(needle)!==-1);
    });
    count.textContent=matching.length+" of "+rows.length+" events";
    page=0;show();
  }
  text.addEventListener("input",apply);select.addEventListener("change",apply);
  previous.addEventListener("click",function(){page--;show();});
  next.addEventListener("click",function(){page++;show();});
  apply();
})();
`;
