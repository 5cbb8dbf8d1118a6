/**
 * `npm run serve`: Shukuden headless (server/cli/headless.ts). This entry only turns on Node's
 * compile cache first, so the code the line loads is compiled once per version, not at every
 * start (`npm run bench:flow`, "cold start"); the rest is imported after it, as the cache only
 * covers modules loaded once it is on.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./headless.ts');
