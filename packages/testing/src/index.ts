export { type BundleSpec, describeBundle } from "./describeBundle.js";
export { type DrainedMessage, drainQueue } from "./drainQueue.js";
export type { AwsAnswer, AwsCall, FakeAwsService } from "./fakeAwsService.js";
export { lambdaContext } from "./lambdaContext.js";
export type { LocalServer } from "./localServer.js";
export { sqsEvent, sqsRecord } from "./sqsEvents.js";
export { startDynamo, type TableSpec } from "./startDynamo.js";
export { type FakeApi, type ScriptedAnswer, type SeenRequest, startFakeApi } from "./startFakeApi.js";
export { startJsonService } from "./startJsonService.js";
export { startQueryService } from "./startQueryService.js";
export { type LocalSqs, type QueueSpec, startSqs } from "./startSqs.js";
export { TEST_AWS } from "./testAws.js";
export {
  exportsWithoutExample,
  markdownExamples,
  type TsdocExample,
  tsdocExampleProblems,
  tsdocExamples,
} from "./tsdocExamples.js";
