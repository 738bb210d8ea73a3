/**
 * zod, configured for a page whose Content-Security-Policy forbids eval: zod 4 probes `new Function` to compile
 * faster validators, which the CSP blocks and reports as a violation (seen in the network monitor). jitless skips
 * the probe. Every module imports zod from here.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
