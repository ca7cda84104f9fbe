/**
 * Every section of the config, one line each. A new kind of work adds its section here;
 * the config schema is assembled from this list and nothing else.
 */
import { benchSection } from '../measure/bench/section.js';
import { loadSection } from '../measure/load/section.js';
import { commandSection } from '../measure/command/section.js';
import { importSection } from '../measure/import/section.js';
import { regressionSection } from './regression.js';

// `as const`: the config's input type is built from each section's own entries.
export const SECTIONS = [benchSection, loadSection, commandSection, importSection, regressionSection] as const;
