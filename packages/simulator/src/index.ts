export { EventQueue, type ScheduledEvent } from "./EventQueue.js";
export { SimulatorError, StepLimitExceededError } from "./errors.js";
export { SeededRandom } from "./SeededRandom.js";
export { Simulation, type SimulationOptions } from "./Simulation.js";
export { VirtualClock } from "./VirtualClock.js";
