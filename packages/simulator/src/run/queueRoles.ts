import type { QueueDepthSeries } from "../report/RunResult.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import { nameOf } from "../terraform/StackReferences.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import type { ShortNames } from "./ShortNames.js";

/**
 * The queues whose depth a person watches, by short name: DLQs (redrive targets), failure
 * destinations, and the parking queues functions name in `PARKING_QUEUE_URL`.
 *
 * @example
 * ```ts
 * queueRoles(tf, stack, names).get("payments-dlq"); // "dlq"
 * ```
 */
export function queueRoles(
  tf: TerraformJson,
  stack: LoadedStack,
  names: ShortNames,
): Map<string, QueueDepthSeries["role"]> {
  const roles = new Map<string, QueueDepthSeries["role"]>();
  const queueName = (arnOrUrl: string) =>
    names.short(arnOrUrl.slice(Math.max(arnOrUrl.lastIndexOf(":"), arnOrUrl.lastIndexOf("/")) + 1));
  for (const fn of stack.functions) {
    const parking = fn.environment.PARKING_QUEUE_URL;
    if (parking) roles.set(queueName(parking), "parking");
  }
  for (const resource of [
    ...tf.resourcesOfType("aws_lambda_event_source_mapping"),
    ...tf.resourcesOfType("aws_lambda_function_event_invoke_config"),
  ]) {
    for (const target of tf.referencesIn(resource.values.destination_config)) {
      if (target.type === "aws_sqs_queue") roles.set(names.short(nameOf(target)), "destination");
    }
  }
  for (const queue of tf.resourcesOfType("aws_sqs_queue")) {
    for (const target of tf.referencesIn(queue.values.redrive_policy)) {
      if (target.type === "aws_sqs_queue") roles.set(names.short(nameOf(target)), "dlq");
    }
  }
  return roles;
}
