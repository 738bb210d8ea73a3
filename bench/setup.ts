import { mkdirSync } from 'node:fs';
import { SECTIONS_DIR } from './sections';

/**
 * Sections are kept between runs, each stamped with its own date, so `npm run bench -- recommend` re-measures
 * one section and the report still lists the others (with their older dates).
 */
export default function setup(): void {
  mkdirSync(SECTIONS_DIR, { recursive: true });
}
