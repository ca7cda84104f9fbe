/**
 * Every section of the config, one line each. A new kind of work adds its section here;
 * the config schema is assembled from this list and nothing else.
 */
import type { Section } from '../define/schema.js';
import { benchSection } from '../measure/bench/section.js';
import { loadSection } from '../measure/load/section.js';
import { commandSection } from '../measure/command/section.js';
import { importSection } from '../measure/import/section.js';

export const SECTIONS: Section[] = [benchSection, loadSection, commandSection, importSection];
