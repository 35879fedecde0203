export {
  describeBody,
  type Fetch,
  type JsonResponse,
  type PostJsonOptions,
  postJson,
  retryAfterSeconds,
} from "./postJson.js";
