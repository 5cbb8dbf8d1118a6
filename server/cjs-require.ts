import { createRequire } from 'node:module';

/**
 * Node's `require`, for two things that make a start slow (`npm run bench:flow`, "cold start"):
 * npm packages read on first use instead of at start (the Twilio SDK, fast-xml-parser — Express
 * loads the same way, by a dynamic `import()`), and `node:http`, whose ESM import also loads
 * Node's fetch (undici, ~60 ms) to fill in its exports.
 */
export const cjsRequire = createRequire(import.meta.url);
