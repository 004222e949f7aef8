// A second "app server" for the race test: runs one outbox worker against the given database in
// its own process until nothing is left, then prints how many it sent. Not part of the app.
import { boot } from '../../../boot.js';
import { loadConfig } from '../../../config.js';
import { startOutboxWorker } from '../worker.js';

const [nodeId = 'child'] = process.argv.slice(2);
const deps = await boot(loadConfig());
const worker = startOutboxWorker(deps, { nodeId, batch: 10, autoStart: false });
process.stdout.write('ready\n');
let sent = 0;
let idle = 0;
while (idle < 3) {
  const n = await worker.runOnce();
  sent += n;
  idle = n === 0 ? idle + 1 : 0;
  await new Promise((r) => setTimeout(r, n === 0 ? 20 : 3));
}
await worker.stop();
await deps.db.destroy();
process.stdout.write(`${JSON.stringify({ nodeId, sent })}\n`);
