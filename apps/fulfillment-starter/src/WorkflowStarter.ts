import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";

/** What a start did: a new execution, or the one a previous delivery already started. */
export type StartResult =
  | { readonly started: true; readonly executionArn: string }
  | { readonly started: false };

/**
 * Starts fulfillment executions. Naming the execution is what makes a redelivered message
 * harmless: Step Functions refuses a second execution with the same name (for 90 days) with
 * `ExecutionAlreadyExists`, which therefore means "already done" and counts as success.
 *
 * @example
 * ```ts
 * const starter = new WorkflowStarter({ client: new SFNClient({}), stateMachineArn });
 * await starter.start("059f36b4-87a3-44ab-83d2-661975830a7d", { orderId: "ord_1" });
 * ```
 */
export class WorkflowStarter {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string;

  public constructor(options: { readonly client: SFNClient; readonly stateMachineArn: string }) {
    this.#client = options.client;
    this.#stateMachineArn = options.stateMachineArn;
  }

  public async start(name: string, input: { readonly orderId: string }): Promise<StartResult> {
    try {
      const { executionArn } = await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { started: true, executionArn: executionArn ?? "" };
    } catch (error) {
      // `name` check as well as instanceof: a second copy of the SDK (bundled vs runtime) breaks instanceof.
      if (
        error instanceof ExecutionAlreadyExists ||
        (error as { name?: unknown }).name === "ExecutionAlreadyExists"
      ) {
        return { started: false };
      }
      throw error;
    }
  }
}
