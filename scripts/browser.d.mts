/** Types of ./browser.mjs (plain ESM, so that node runs it before Playwright starts). */
export type Found = { kind: 'env' | 'system' | 'playwright'; path: string } | { kind: 'missing'; error?: string };
export interface Probe {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  playwrightPath: () => string | undefined;
}
export const SYSTEM_CHROMIUMS: string[];
export function findBrowser(probe: Probe): Found;
export function installPlans(machine: { isRoot: boolean; hasSudo: boolean; hasApt: boolean }): {
  name: string;
  commands: string[][];
}[];
export function missingBrowserMessage(error?: string): string;
export function playwrightChromiumPath(): Promise<string | undefined>;
export function ensureBrowser(o?: {
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<Exclude<Found, { kind: 'missing' }>>;
