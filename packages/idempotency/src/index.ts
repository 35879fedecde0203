export { hashPayload } from "./hashPayload.js";
