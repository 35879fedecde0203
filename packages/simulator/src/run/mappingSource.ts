import { ConfigurationError } from "../engine/errors.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import type { Topology } from "../topology/Topology.js";
import type { ShortNames } from "./ShortNames.js";

/**
 * The ARN of a mapping source as a scenario names it: `sqs:<queue>`, `dynamodb-stream:<table>` (the
 * table's stream) or `kinesis:<stream>`, short names resolved against the stack.
 *
 * @example
 * ```ts
 * mappingSourceArn("sqs:payments", { topology, stack, names }); // "arn:aws:sqs:…:rebound-dev-payments"
 * ```
 */
export function mappingSourceArn(
  source: string,
  {
    topology,
    stack,
    names,
  }: { readonly topology: Topology; readonly stack: LoadedStack; readonly names: ShortNames },
): string {
  const [kind, name = ""] = [source.slice(0, source.indexOf(":")), source.slice(source.indexOf(":") + 1)];
  if (kind === "sqs") return topology.queue(names.full("queue", name)).arn;
  if (kind === "kinesis") return stack.streams.stream(names.full("stream", name)).streamArn;
  const table = stack.tables.find((candidate) => candidate.tableName === names.full("table", name));
  if (table?.stream === undefined)
    throw new ConfigurationError(
      "source",
      `${source}: the table has no stream (stream_enabled), so no mapping reads it`,
    );
  return table.stream.streamArn;
}
