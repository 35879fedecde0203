import type { ScriptedRoute } from "../aws/ScriptedHttpService.js";
import type { DownstreamSpec, RouteBehaviour } from "../scenario/Scenario.js";

// The service matches one route per request, first match wins, and a `{x}` segment matches one path
// segment: the default behaviour therefore goes last, as catch-alls for paths up to this many segments.
const CATCH_ALL_DEPTH = 6;

/**
 * Maps a scenario's downstream (a default behaviour plus routes) to the scripted HTTP service's
 * routes: the scenario's routes first, each on top of the defaults, then catch-alls with the defaults.
 *
 * @example
 * ```ts
 * const service = await ScriptedHttpService.start({ name: "payment", routes: downstreamRoutes(spec) });
 * ```
 */
export function downstreamRoutes(spec: DownstreamSpec): Record<string, ScriptedRoute> {
  const routes: Record<string, ScriptedRoute> = {};
  for (const [key, behaviour] of Object.entries(spec.routes)) {
    routes[normalizeRouteKey(key)] = toRoute(behaviour);
  }
  const fallback = toRoute(spec.defaults);
  for (let depth = 0; depth <= CATCH_ALL_DEPTH; depth++) {
    const path = `/${Array.from({ length: depth }, (_, index) => `{segment${index}}`).join("/")}`;
    routes[`* ${path}`] ??= fallback;
  }
  return routes;
}

/** A scenario route may end in `*` (a prefix); the service has no prefixes, so `*` becomes one segment. */
function normalizeRouteKey(key: string): string {
  return key.endsWith("/*") ? `${key.slice(0, -1)}{rest}` : key;
}

function toRoute(behaviour: RouteBehaviour): ScriptedRoute {
  const { minMs, maxMs } = behaviour.latency;
  return {
    status: behaviour.status,
    body: behaviour.body,
    ...(behaviour.sequence.length > 0 ? { statusSequence: behaviour.sequence } : {}),
    // Error status and body always travel with the route: a phase may turn errors on later.
    ...(behaviour.errorRate > 0 ? { errorRate: behaviour.errorRate } : {}),
    errorStatus: behaviour.errorStatus,
    errorBody: behaviour.errorBody,
    latencyMs: minMs === maxMs ? minMs : { minMs, maxMs },
    outages: behaviour.outages.map((window) => ({
      fromMs: window.fromMs,
      toMs: window.toMs,
      mode: window.mode === "hang" ? "hang" : "503",
    })),
    idempotent: behaviour.idempotent,
    ...(behaviour.phases.length > 0
      ? {
          phases: behaviour.phases.map((phase) => ({
            fromMs: phase.fromMs,
            toMs: phase.toMs,
            ...(phase.status !== undefined ? { status: phase.status } : {}),
            ...(phase.errorStatus !== undefined ? { errorStatus: phase.errorStatus } : {}),
            ...(phase.errorRate !== undefined ? { errorRate: phase.errorRate } : {}),
            ...(phase.latency !== undefined
              ? {
                  latencyMs:
                    phase.latency.minMs === phase.latency.maxMs
                      ? phase.latency.minMs
                      : { minMs: phase.latency.minMs, maxMs: phase.latency.maxMs },
                }
              : {}),
          })),
        }
      : {}),
  };
}
