/**
 * What GetEventSourceMapping reports about a mapping's state, with AWS's field names and values.
 * SQS mappings give `StateTransitionReason: "USER_INITIATED"` and no `LastProcessingResult`; stream
 * mappings give `"User action"` and `LastProcessingResult` (`No records processed`, `OK`,
 * `PROBLEM: Function call failed`) (docs/aws-semantics.md#event-source-mapping-state).
 */
export interface EventSourceMappingStatus {
  readonly UUID: string;
  readonly EventSourceArn: string;
  readonly FunctionArn: string;
  readonly State: "Enabled" | "Disabled";
  readonly StateTransitionReason: "USER_INITIATED" | "User action";
  readonly LastProcessingResult?: "No records processed" | "OK" | "PROBLEM: Function call failed";
}

/**
 * A mapping that can be enabled and disabled while the run goes on (UpdateEventSourceMapping with
 * `Enabled`) and reports its state.
 *
 * @example
 * ```ts
 * const mapping = topology.eventSourceMappings()[0]!;
 * mapping.setEnabled(false); // stops polling; a batch in flight finishes
 * mapping.status().State; // "Disabled"
 * ```
 */
export interface ControllableMapping {
  readonly uuid: string;
  readonly eventSourceArn: string;
  readonly functionName: string;
  readonly enabled: boolean;
  setEnabled(enabled: boolean): void;
  status(): EventSourceMappingStatus;
}
