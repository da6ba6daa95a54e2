import { cases as brf } from './brf.ts';
import { cases as core } from './core.ts';
import { cases as fp } from './fp.ts';
import { cases as lif } from './lif.ts';
import { cases as ltn } from './ltn.ts';
import { cases as numerics } from './numerics.ts';
import { cases as parallel } from './parallel.ts';
import { cases as srm } from './srm.ts';
import { cases as stats } from './stats.ts';
import type { CrossCases, Lib } from './types.ts';

export const allCases: CrossCases = { ...core, ...lif, ...numerics, ...fp, ...brf, ...srm, ...ltn, ...stats, ...parallel };

/** Runs every case and returns name -> fingerprint. */
export async function runCases(nd: Lib): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(allCases)) out[name] = await f(nd);
  return out;
}
