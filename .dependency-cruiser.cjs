/**
 * HushCart's layering as code (../shared/ARCHITECTURE.md), checked by `npm test` (npm run lint:deps):
 *   app/ widget/    the React store and the embeddable widget: never tfjs, never the engine's implementation
 *   api/            window.HushCart: the facade over the catalog, the store and the engine
 *   engine/         the composition: the Engine interface, the worker, its client
 *   recommend/ vision/ sentiment/ search/ assistant/ shop-pack/   one folder per capability; the page knows each by
 *                   its contract.ts (shop-pack/ is the shop's pack builder: the command line and the shop page)
 *   catalog/ store/ eval/           packs, IndexedDB, metrics
 *   runtime/ shared/  the tf runtime (backends, kernels, the epoch loop, jobs); plain shared structures
 * Imports point down only. Type-only imports count (tsPreCompilationDeps): a type cycle is a design cycle.
 */
const CAPABILITIES = '^src/(recommend|vision|sentiment|search|assistant|shop-pack)/';
const UPPER = '^src/(app|widget|api|engine)/|^src/main\\.tsx$';
const TEST = '\\.test\\.ts$|^src/test/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles', from: {}, to: { circular: true } },
    {
      name: 'capabilities-below-the-composition',
      severity: 'error',
      comment: 'a capability never imports the composition (engine/), the API or the app (its tests may)',
      from: { path: CAPABILITIES, pathNot: TEST },
      to: { path: UPPER },
    },
    {
      name: 'lower-layers-stay-lower',
      severity: 'error',
      comment:
        'catalog, store, eval, shared and the runtime never import a capability, the composition, the API or the app',
      from: { path: '^src/(catalog|store|eval|runtime|shared)/', pathNot: TEST },
      to: { path: `${UPPER}|${CAPABILITIES}` },
    },
    {
      name: 'capabilities-stay-apart',
      severity: 'error',
      comment: 'no capability imports another (they meet in the composition, engine/); tests may',
      from: { path: '^src/(recommend|vision|sentiment|search|assistant|shop-pack)/', pathNot: TEST },
      to: { path: '^src/(recommend|vision|sentiment|search|assistant|shop-pack)/', pathNot: '^src/$1/' },
    },
    {
      name: 'the-page-knows-contracts-only',
      severity: 'error',
      comment:
        "the page (app/, widget/, api/) imports only a capability's contract.ts: plain types and constants, never its models",
      from: { path: '^src/(app|widget|api)/|^src/main\\.tsx$', pathNot: TEST },
      to: {
        path: CAPABILITIES,
        pathNot: '^src/(recommend|vision|sentiment|search|assistant|shop-pack)/contract\\.ts$',
      },
    },
    {
      name: 'contracts-without-tfjs',
      severity: 'error',
      comment: "a capability's contract.ts reaches neither tfjs nor the runtime, not even through a type",
      from: { path: '^src/(recommend|vision|sentiment|search|assistant|shop-pack)/contract\\.ts$' },
      to: { path: '@tensorflow/|^src/runtime/', reachable: true },
    },
    {
      name: 'shared-is-the-ground-floor',
      comment: 'shared/ imports nothing of ours but shared/ and the error type (the catalog/shared loop is gone)',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: TEST },
      to: { path: '^src/', pathNot: '^src/shared/|^src/errors\\.ts$' },
    },
    {
      name: 'app-without-tfjs',
      severity: 'error',
      comment: 'the UI (the store and the widget) never imports tfjs or the runtime (it loads with the engine worker)',
      from: { path: '^src/(app/|widget/|main\\.tsx$)' },
      to: { path: '@tensorflow/|^src/runtime/|^src/engine/(engine|worker)\\.ts$' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'a module nothing imports is dead code (entry points and tests excepted)',
      from: {
        orphan: true,
        pathNot: [
          TEST,
          '^src/main\\.tsx$',
          '^src/engine/worker\\.ts$',
          '^src/shop-pack/main\\.ts$',
          '\\.d\\.ts$',
          '^src/vite-env',
        ],
      },
      to: {},
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
