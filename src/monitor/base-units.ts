/** Prometheus's base units: a duration in seconds (perfgate keeps ns); bytes, rates and shares as they are. */
import type { Dimension } from '../model/result.js';

export const inBaseUnits = (value: number, dim: Dimension): number => (dim === 'duration' ? value / 1e9 : value);
