#!/usr/bin/env node
// `npm test`: every test — unit and API tests (Vitest, against a real database), then the browser
// tests against a built web app. TEST_DATABASE_URL=postgres://… runs the same suite on PostgreSQL.
// Ends with one line "tests: N passed, N failed, N skipped" so CI can read the outcome.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, '.test-results');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function counts(file) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { passed: j.numPassedTests, failed: j.numFailedTests + (j.success === false && j.numFailedTests === 0 ? 1 : 0), skipped: j.numPendingTests + j.numTodoTests };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 }; // no report: the runner itself broke
  }
}

const dialect = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
console.log(`\n== Unit and API tests on ${dialect} ==`);
const unitCode = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/unit.json`]);

console.log('\n== Building the web app for the browser tests ==');
const buildCode = run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);

let e2e = { passed: 0, failed: 1, skipped: 0 };
if (buildCode === 0) {
  console.log(`\n== Browser tests on ${dialect} ==`);
  run('npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/e2e.json`]);
  e2e = counts(`${out}/e2e.json`);
}
const unit = counts(`${out}/unit.json`);
if (unitCode !== 0 && unit.failed === 0) unit.failed = 1;

const total = { passed: unit.passed + e2e.passed, failed: unit.failed + e2e.failed, skipped: unit.skipped + e2e.skipped };
fs.writeFileSync(`${out}/summary.json`, JSON.stringify({ dialect, unit, e2e, total }, null, 2));
console.log(`\nunit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`browser: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
