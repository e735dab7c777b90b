// The layers of src/ (CONTRIBUTING / TEAM layout), bottom-up: a module imports from its own layer or
// the ones below it, never above; no cycles; build-time modules (src/build/) are never imported by
// runtime code. `npm run lint:deps` checks it (part of `npm test`).
const LAYERS = [
  ['snyk', '^src/snyk/'],
  ['schemas', '^src/schemas/'],
  ['settings and logging', '^src/(settings|logging)/'],
  ['store', '^src/store/'],
  ['services', '^src/services/'],
  ['plugins', '^src/plugins/'],
  ['routes', '^src/routes/'],
  ['entry points', '^src/(parity/|[^/]+$)'],
];

/** One rule per layer: nothing above it (and nothing of the build step). */
const layerRules = LAYERS.map(([name, path], i) => ({
  name: `layer-${name.replace(/ /g, '-')}`,
  comment: `${name} imports only from its own layer or below`,
  severity: 'error',
  from: { path },
  to: { path: [...LAYERS.slice(i + 1).map(([, above]) => above), '^src/build/'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'no import cycle, type-only imports included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'snyk-without-fastify',
      comment: "snyk/ holds Snyk's rules as plain functions: nothing from Fastify",
      severity: 'error',
      from: { path: '^src/snyk/' },
      to: { path: 'node_modules/(fastify|@fastify/|fastify-plugin)' },
    },
    {
      name: 'build-only-from-build',
      comment: 'src/build/ runs at `npm run build` only: runtime code never imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/build/' },
      to: { path: '^src/build/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
