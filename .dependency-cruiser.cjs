// Imports point down a layer, never up: `npm run check:imports` (a step of `npm test`) fails on any
// import that breaks the rules below. The README's Architecture section says the same in words.
//
// The protocol (server/src/protocol) is the bottom: the contract every side imports, importing nothing
// of the project. client/src and webview/src reach the server only through it, and never each other.
// Inside the server the folders are ranked, bottom to top; a folder may import folders of a lower rank
// only — not its siblings of the same rank, not anything above. server/src/version.ts is a leaf anyone
// may import; main.ts and cli.ts only wire things together, so nothing but each other imports them.

/** Bottom to top. Folders in one row are siblings and do not import each other. */
const SERVER_LAYERS = [
  ['protocol'],
  ['workspace'],
  // config/resolve-run.ts resolves a request against the model table: models sit below config.
  ['models'],
  ['config'],
  ['store', 'tools'],
  ['policy'],
  ['context'],
  ['checkpoints'],
  ['agent'],
  ['cli'],
];

/**
 * Imports that break the rules today and need a decision in the agent core to remove. Each is one
 * file-to-file edge, allowed by name and nothing wider; a new edge of the same kind still fails.
 */
const KNOWN_EXCEPTIONS = [
  // None today. (store/interrupted-runs.ts → agent/emitter.ts was one: recording a dead run's
  // interruption is the agent's, so that file moved to agent/, and the store keeps only pidAlive.)
];

const esc = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folder = (name) => `^server/src/${name}/`;
const WIRING = '^server/src/(main|cli)\\.ts$';

/** One forbidden rule, less the named exceptions that start in its folder. */
function layerRules(name, comment, from, to) {
  const exceptions = KNOWN_EXCEPTIONS.filter((e) => new RegExp(from).test(e.from) && new RegExp(to).test(e.to));
  const rule = (suffix, fromSpec, toSpec) => ({
    name: `${name}${suffix}`,
    severity: 'error',
    comment,
    from: fromSpec,
    to: toSpec,
  });
  if (exceptions.length === 0) return [rule('', { path: from }, { path: to })];
  const excepted = exceptions.map((e) => `^${esc(e.from)}$`);
  return [
    rule('', { path: from, pathNot: excepted }, { path: to }),
    ...exceptions.map((e) => rule(`:${e.from}`, { path: `^${esc(e.from)}$` }, { path: to, pathNot: `^${esc(e.to)}$` })),
  ];
}

const serverRules = SERVER_LAYERS.flatMap((row, rank) =>
  row.flatMap((name) => {
    const notBelow = SERVER_LAYERS.slice(rank)
      .flat()
      .filter((other) => other !== name);
    const above = notBelow.length > 0 ? `^server/src/(${notBelow.join('|')})/|${WIRING}` : WIRING;
    const may = SERVER_LAYERS.slice(0, rank).flat();
    return layerRules(
      `server-${name}`,
      `server/src/${name}/ may import ${may.join(', ')} and version.ts, nothing above or beside it`,
      folder(name),
      above,
    );
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'protocol-imports-nothing',
      severity: 'error',
      comment: 'The protocol is the contract every side imports: it imports no other code of the project.',
      from: { path: '^server/src/protocol/' },
      to: { path: '^(server|client|webview)/', pathNot: '^server/src/protocol/' },
    },
    ...serverRules.filter((r) => !r.name.startsWith('server-protocol')),
    {
      name: 'server-not-client-or-webview',
      severity: 'error',
      comment: 'The server runs headless (the agio CLI): it knows neither the extension nor the panel.',
      from: { path: '^server/' },
      to: { path: '^(client|webview)/' },
    },
    {
      name: 'client-only-protocol',
      severity: 'error',
      comment: 'The extension talks to the server over the connection; of the server it imports only the protocol.',
      from: { path: '^client/src/' },
      to: { path: '^(server/|webview/)', pathNot: '^server/src/protocol/' },
    },
    {
      name: 'webview-only-protocol',
      severity: 'error',
      comment: 'The panel talks to the extension by messages; of the rest it imports only the protocol.',
      from: { path: '^webview/src/' },
      to: { path: '^(server/|client/)', pathNot: '^server/src/protocol/' },
    },
  ],
  options: {
    // typescript@7 (the native compiler) has no JavaScript API for dependency-cruiser; swc parses the
    // sources and keeps type-only imports, which count: a type that points up a layer couples layers too.
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
  },
};
