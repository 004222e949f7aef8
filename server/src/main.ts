import os from 'node:os';
import { buildApp } from './app.js';
import { boot } from './boot.js';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_ACCOUNTS, seedDemo } from './modules/setup/demo.js';
import { seedDemoResidents } from './modules/setup/demo-residents.js';
import { seedDemoServices } from './modules/setup/demo-services.js';
import { seedDemoHistory } from './modules/setup/demo-history.js';
import { ensureSetupCode, needsSetup } from './modules/setup/setup.js';
import { startOutboxWorker } from './modules/notifications/worker.js';
import { startVisitSweep } from './modules/visits/sweep.js';
import { startComplaintSweep } from './modules/feedback/feedback.js';
import { startConsultationSweep } from './modules/consultations/sweep.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await boot(config);
  const app = await buildApp(deps);

  let setupCode: string | null = null;
  if (await needsSetup(deps.db)) {
    if (config.demo) {
      await seedDemo(deps.db, config.demoPassword, deps.clock.now());
      await seedDemoResidents(deps.db, deps.keys, deps.clock.now());
      await seedDemoServices(deps.db, deps.keys, deps.clock.now());
      if (config.demoHistory) await seedDemoHistory(deps.db, deps.keys, deps.clock.now());
    }
    else setupCode = await ensureSetupCode(deps.db);
  }

  // Delivers due notifications (in-app; SMS/WeChat logged only). Safe to run on several servers.
  const outbox = config.outboxWorker
    ? startOutboxWorker(deps, { nodeId: `${os.hostname()}:${process.pid}`, intervalMs: 5_000, batch: 50, onError: (e) => app.log.error({ err: e }, 'outbox worker') })
    : null;
  if (config.outboxWorker) startComplaintSweep(deps, { onError: (e) => app.log.error({ err: e }, 'complaint sweep') }); // overdue complaints → station head, once; near deadlines → handler, once
  if (config.outboxWorker) startConsultationSweep(deps, { onError: (e) => app.log.error({ err: e }, 'consultation sweep') }); // unanswered past the deadline → staff and head, once
  if (config.outboxWorker) startVisitSweep(deps, (e) => app.log.error({ err: e }, 'visit sweep')); // overdue high-tier visits → covering workers + head, once a day

  // Finish in-flight requests, then close the database, on Ctrl-C or a service manager's stop.
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      app
        .close()
        .then(() => outbox?.stop())
        .then(() => deps.db.destroy())
        .then(() => process.exit(0))
        .catch((e: unknown) => {
          app.log.error({ err: e }, 'shutdown failed');
          process.exit(1);
        });
    });
  }

  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}/`;
  const lines = [
    '',
    `  乡桥 Xiangqiao ${deps.version} is running at ${url}`,
    `  Database: ${deps.dialect === 'sqlite' ? deps.database.file : 'PostgreSQL'}`,
    `  API docs: ${url}api/docs`,
  ];
  if (config.demo) {
    lines.push(`  Demo station 大瑶镇社工站（演示）. Every demo account's password: ${config.demoPassword}`);
    lines.push(`  Accounts: ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.role})`).join(', ')}`);
  }
  if (setupCode) lines.push(`  First run: open ${url}setup and enter the set-up code ${setupCode}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || (e instanceof Error && e.name === 'NewerDatabaseError')) {
    process.stderr.write(`Xiangqiao cannot start: ${e.message}\n`);
  } else {
    process.stderr.write(`Xiangqiao failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
