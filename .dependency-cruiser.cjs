// The layering the workspace keeps, checked by `pnpm lint` (dependency-cruiser). Each rule says why.
// Paths are the real files (workspace packages resolve through their symlinks to packages/*).
const SIM = "^packages/simulator/src/";
/** The simulator's lower layers: the clock and the AWS service models, and what runs bundles for them. */
const MODELS = `${SIM}(engine|lambda|sqs|streams|stepfunctions|destinations|apigateway)/`;
const LOWER = `${SIM}(engine|lambda|sqs|streams|stepfunctions|destinations|apigateway|host|aws|code)/`;
/** What sits on top: loading a stack, scenarios, the run, reports and the CLI (cli.ts and cli/). */
const UPPER = `${SIM}(run|scenario|report|terraform|cli)/|${SIM}cli\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle makes load order matter and hides which module owns a concept.",
      from: {},
      to: { circular: true },
    },
    {
      name: "apps-stay-deployable",
      severity: "error",
      comment: "Function code ships to Lambda: it never imports the simulator or the infrastructure code.",
      from: { path: "^apps/" },
      // By path, and by name for a package an app does not even declare (then it stays unresolved).
      to: { path: "^(packages/simulator|infra)/|^@rebound/(simulator|infra)$" },
    },
    {
      name: "infra-does-not-run-the-simulator",
      severity: "error",
      comment: "The stack is plain Terraform the simulator reads; infra never depends on the simulator.",
      from: { path: "^infra/" },
      to: { path: "^packages/simulator/|^@rebound/simulator$" },
    },
    {
      name: "models-below-the-run",
      severity: "error",
      comment:
        "The engine, Lambda and service models, the host and the local endpoints know nothing of " +
        "scenarios, runs, reports, the Terraform loader or the CLI: those are built on top of them.",
      from: { path: LOWER },
      to: { path: UPPER },
    },
    {
      name: "models-take-narrow-environments",
      severity: "error",
      comment:
        "A model takes a narrow environment interface that Topology implements; importing Topology " +
        "back would make an import circle and tie every model to every other.",
      from: { path: MODELS },
      to: { path: `${SIM}topology/` },
    },
    {
      name: "engine-is-the-bottom",
      severity: "error",
      comment: "The virtual clock, event queue, trace and outcome book depend on no AWS model.",
      from: { path: `${SIM}engine/` },
      to: { path: `${SIM}(?!engine/)` },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|cdktf\\.out|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".mjs", ".js", ".d.ts"],
    },
  },
};
