import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { boot } from './boot.js';
import { loadConfig } from './config.js';
import { connect } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { ROLES, type Role } from './db/tables.js';
import { verifyAuditChain, writeAudit, type AuditActor } from './lib/audit.js';
import { seedDemoResidents } from './modules/setup/demo-residents.js';
import { seedDemoServices } from './modules/setup/demo-services.js';
import { seedDemoHistory } from './modules/setup/demo-history.js';
import { seedDemo } from './modules/setup/demo.js';
import { setupStation } from './modules/setup/setup.js';
import { createUser, findUserByUsername, setLocked, setPassword } from './modules/users/users.js';

const USAGE = `Usage: npm run cli -- <command>

  migrate                                   bring the database schema up to date
  seed-demo                                 create the demo station and accounts (safe to repeat)
  setup --township CODE --station-name NAME --head-username U --head-name NAME
        [--operator-model government|ngo] [--operator-name NAME] [--head-password P]
                                            first run of a real station (township code: 9 or 12 digits)
  user add --username U --name NAME --role ROLE [--station CODE] [--county CODE] [--password P]
  user reset-password USERNAME [--password P]   temporary password; must be changed at next login
  user lock USERNAME | user unlock USERNAME
  audit verify                              check the audit log's hash chain

Roles: ${ROLES.join(', ')}. Without --password a random one is generated and printed once.
The database is ./data (XQ_DATA_DIR) or DATABASE_URL, as for the server.`;

const CLI_ACTOR: AuditActor = { actorId: null, actorUsername: 'cli', role: 'system_admin', stationId: null, ip: null, requestId: null };

function tempPassword(): string {
  // 3+ character classes guaranteed by construction: upper, lower, digit, symbol.
  return `Xq-${randomBytes(9).toString('base64url').replace(/[-_]/g, 'a')}7#`;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      station: { type: 'string' },
      county: { type: 'string' },
      password: { type: 'string' },
      township: { type: 'string' },
      'station-name': { type: 'string' },
      'operator-model': { type: 'string' },
      'operator-name': { type: 'string' },
      'head-username': { type: 'string' },
      'head-name': { type: 'string' },
      'head-password': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, sub, arg] = positionals;
  if (!cmd || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return cmd ? 0 : 2;
  }
  const config = loadConfig();

  if (cmd === 'migrate') {
    const database = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const done = await migrateToLatest(database.db as never);
    await database.db.destroy();
    if (database.readDb !== database.db) await database.readDb.destroy();
    process.stdout.write(done.length ? `Applied: ${done.join(', ')}\n` : 'Already up to date.\n');
    return 0;
  }

  const deps = await boot(config);
  const { db } = deps;
  const now = () => deps.clock.now();
  try {
    switch (`${cmd} ${sub ?? ''}`.trim()) {
      case 'seed-demo': {
        const r = await seedDemo(db, config.demoPassword, now());
        const residents = await seedDemoResidents(db, deps.keys, now());
        await seedDemoServices(db, deps.keys, now());
        const history = await seedDemoHistory(db, deps.keys, now());
        process.stdout.write(r.created.length ? `Created demo accounts: ${r.created.join(', ')}\n` : 'Demo accounts already present.\n');
        process.stdout.write(residents.created ? `Created ${residents.created} demo residents\n` : 'Demo residents already present.\n');
        process.stdout.write(
          history.serviceRecords
            ? `Created three months of demo history: ${history.serviceRecords} service records, ${history.appointments} appointments, ${history.visits} visits, ${history.consultations} consultations\n`
            : 'Demo history already present.\n',
        );
        return 0;
      }
      case 'setup': {
        const township = values.township ?? fail('--township is required');
        const password = values['head-password'] ?? tempPassword();
        const r = await db.transaction().execute(async (trx) => {
          const out = await setupStation(
            trx,
            {
              townshipCode: township,
              stationName: values['station-name'] ?? fail('--station-name is required'),
              operatorModel: values['operator-model'] === 'ngo' ? 'ngo' : 'government',
              operatorName: values['operator-name'] ?? null,
              head: { username: values['head-username'] ?? fail('--head-username is required'), displayName: values['head-name'] ?? fail('--head-name is required'), password },
            },
            now(),
          );
          await writeAudit(trx, CLI_ACTOR, { action: 'setup.station', result: 'ok', entityType: 'station', entityId: out.stationId }, now());
          return out;
        });
        process.stdout.write(`Station created with ${r.villages} villages.\n`);
        if (!values['head-password']) process.stdout.write(`Head account password (shown once): ${password}\n`);
        return 0;
      }
      case 'user add': {
        const role = (values.role ?? fail('--role is required')) as Role;
        if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
        const station = values.station
          ? await db.selectFrom('stations').select('id').where((eb) => eb.or([eb('code', '=', values.station!.padEnd(12, '0')), eb('id', '=', values.station!)])).executeTakeFirst()
          : undefined;
        if (values.station && !station) fail(`No station ${values.station}`);
        const county = values.county
          ? await db.selectFrom('counties').select('id').where((eb) => eb.or([eb('code', '=', values.county!.padEnd(12, '0')), eb('id', '=', values.county!)])).executeTakeFirst()
          : undefined;
        if (values.county && !county) fail(`No county ${values.county}`);
        const password = values.password ?? tempPassword();
        const username = values.username ?? fail('--username is required');
        await db.transaction().execute(async (trx) => {
          const id = await createUser(
            trx,
            { username, displayName: values.name ?? username, password, roles: [{ role, stationId: station?.id ?? null, countyId: county?.id ?? null }], mustChangePassword: !values.password },
            now(),
          );
          await writeAudit(trx, CLI_ACTOR, { action: 'user.create', result: 'ok', entityType: 'user', entityId: id, detail: { roles: [role] } }, now());
        });
        process.stdout.write(`Created ${username}.${values.password ? '' : ` Temporary password (change at first login): ${password}`}\n`);
        return 0;
      }
      case 'user reset-password':
      case 'user lock':
      case 'user unlock': {
        const user = await findUserByUsername(db, arg ?? fail('a username is required'));
        if (!user) fail(`No user ${arg}`);
        await db.transaction().execute(async (trx) => {
          if (sub === 'reset-password') {
            const password = values.password ?? tempPassword();
            await setPassword(trx, user.id, user.username, password, { forceChange: true, now: now() });
            process.stdout.write(`Temporary password for ${user.username} (change at next login): ${password}\n`);
          } else {
            await setLocked(trx, user.id, sub === 'lock', now());
            process.stdout.write(`${user.username} ${sub === 'lock' ? 'locked' : 'unlocked'}.\n`);
          }
          await writeAudit(trx, CLI_ACTOR, { action: `user.${sub === 'reset-password' ? 'password_reset' : sub}`, result: 'ok', entityType: 'user', entityId: user.id }, now());
        });
        return 0;
      }
      case 'audit verify': {
        const r = await verifyAuditChain(db);
        if (r.ok) {
          process.stdout.write(`Audit log intact: ${r.checked} entries verified.\n`);
          return 0;
        }
        const b = r.firstBroken!;
        process.stdout.write(`Audit log BROKEN at entry #${b.seq} (id ${b.id}): ${b.problem}. ${r.checked} entries before it verified.\n`);
        return 1;
      }
      default:
        process.stderr.write(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    const err = e as { id?: string; fields?: Record<string, string>; message?: string };
    if (err.id) {
      process.stderr.write(`Refused: ${err.id}${err.fields ? ` ${JSON.stringify(err.fields)}` : ''}\n`);
      return 1;
    }
    throw e;
  } finally {
    await db.destroy();
    if (deps.readDb !== db) await deps.readDb.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
