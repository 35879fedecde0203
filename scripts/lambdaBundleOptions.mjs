// How every Lambda bundle in the repository is built: the apps (scripts/bundle.mjs) and the bundle-size
// benchmarks (bench/lib/bundleSnippet.mjs) share these, so a budget is measured the way a function ships.
// Minified ESM for Node 20, the AWS SDK v3 left external because the Lambda runtime ships it.

/** esbuild options common to every Lambda bundle (entry, output and metafile are the caller's). */
export const lambdaBundleOptions = {
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@aws-sdk/*", "@smithy/*"],
  legalComments: "none",
  logLevel: "warning",
};
