import { rmSync } from 'node:fs';
import { SECTIONS_DIR } from './sections';

export default function setup(): void {
  rmSync(SECTIONS_DIR, { recursive: true, force: true });
}
