import { ResourceNotFoundError } from "../engine/errors.js";
import { StepFunctions } from "../stepfunctions/StepFunctions.js";
import type { Topology } from "./Topology.js";

/**
 * A Step Functions service on a topology's simulation, trace and outcome book: Lambda tasks resolve
 * the topology's functions (a missing one fails the task with `Lambda.ResourceNotFoundException`, as
 * on AWS), and running executions count as held for the "nothing lost" invariant.
 *
 * @example
 * ```ts
 * import { scripted, stepFunctionsForTopology, Topology } from "@rebound/simulator";
 * const topology = new Topology({ seed: 1 });
 * topology.addFunction({ functionName: "reserve", handler: scripted.succeed() });
 * const sfn = stepFunctionsForTopology(topology);
 * const machine = sfn.createStateMachine({ name: "fulfil", definition });
 * sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: { orderId: "1" } });
 * topology.run();
 * ```
 */
export function stepFunctionsForTopology(topology: Topology): StepFunctions {
  const sfn = new StepFunctions({
    simulation: topology.simulation,
    trace: topology.trace,
    outcomes: topology.outcomes,
    region: topology.region,
    accountId: topology.accountId,
    resolveFunction: (name) => {
      try {
        return topology.function(name);
      } catch (error) {
        if (error instanceof ResourceNotFoundError) return undefined;
        throw error;
      }
    },
  });
  topology.registerHolder(() => sfn.heldEventIds());
  return sfn;
}
