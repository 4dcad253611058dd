// Types of scripts/build-server.mjs, for the TypeScript that calls it (tests, benchmarks).

export const serverEntry: string;
export const serverBundle: string;

export function serverBundleIsStale(outfile?: string): boolean;

export interface ServerBuildOptions {
  /** Build even when the bundle is newer than its sources. */
  force?: boolean;
  quiet?: boolean;
  /** Default src/cli.ts. */
  entry?: string;
  /** Default dist/server/cli.mjs; must lie inside the repository (packages resolve from its node_modules). */
  outfile?: string;
}

export function buildServer(
  options?: ServerBuildOptions,
): Promise<{ built: boolean; ms: number; outfile: string }>;
