import type { MatchingInstance, MatchingOptions, MatchingResult } from './matching.types.ts';
import { solveOptimalMatching } from './optimal.ts';
import { solveStableMatching } from './stable.ts';

/**
 * The one entry point the service calls: optimal mode (default) maximizes placements, then the
 * options' objective, and proves it; stable mode runs deferred acceptance and proves stability.
 * Every result carries its certificate and an independent validation report.
 */
export function solveMatching(instance: MatchingInstance, options: MatchingOptions = {}): MatchingResult {
  return options.mode === 'stable' ? solveStableMatching(instance, options) : solveOptimalMatching(instance, options);
}
