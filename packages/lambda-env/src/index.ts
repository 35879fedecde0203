export { requireEnv } from "./requireEnv.js";
