export { EventQueue, type ScheduledEvent } from "./EventQueue.js";
export { SimulatorError, StepLimitExceededError } from "./errors.js";
export { explainStack, type FunctionPolicy, formatPolicies } from "./explain.js";
export { SeededRandom } from "./SeededRandom.js";
export { Simulation, type SimulationOptions } from "./Simulation.js";
export { VirtualClock } from "./VirtualClock.js";
export { TerraformJson, type TerraformResource } from "./terraform/TerraformJson.js";
