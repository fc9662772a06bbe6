/** The ports other tools rely on: benchmarks, load balancers and the web client expect these defaults. */
export const PORTS = {
  gateway: 4000,
  engagement: 4001,
  initiatives: 4002,
  resources: 4003,
  web: 5173,
} as const;

export type SubgraphName = 'engagement' | 'initiatives' | 'resources';
export const SUBGRAPHS: readonly SubgraphName[] = ['engagement', 'initiatives', 'resources'];
