/**
 * The load generator for bench:guest, in its own process: uploads FILE to LINK ROUNDS times (each a new
 * recording, so each is stored), each when a line arrives on stdin, and prints its Send → stored time as JSON.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [link, file, rounds] = process.argv.slice(2);
if (!link || !file || !rounds) throw new Error('usage: guest-client.ts LINK FILE ROUNDS');
const body = new Uint8Array(readFileSync(file));
const go = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
for (let i = 0; i < Number(rounds); i++) {
  await go.next();
  const id = () => randomBytes(16).toString('base64url');
  const started = performance.now();
  const response = await fetch(`${link}/upload?${new URLSearchParams({ key: id(), session: id(), status: 'kept', name: `Bench ${i}` })}`, { method: 'POST', body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`upload failed: ${response.status}`);
  console.log(JSON.stringify({ ms: performance.now() - started }));
}
process.exit(0);
