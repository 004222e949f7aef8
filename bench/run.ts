/**
 * Benchmarks: `npm run bench -- <name>`. Each one prints its figures, PASS/FAIL against its
 * targets, and writes bench/results/<name>.json. Missing a target is a finding, not an error, so
 * the exit code is 0 then; it is non-zero only when the benchmark itself could not run.
 */

interface Benchmark {
  summary: string;
  run(): Promise<void>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  api: {
    summary: 'GET /api/health vs GET /api/auth/me (signed in) on the real server: req/s, p50/p99, RSS',
    run: async () => (await import('./api.js')).runApiBenchmark(),
  },
  import: {
    summary: 'POST /api/residents/import: 10,000-row .xlsx roster, dry run then commit, on the real server (target ≤ 15 s)',
    run: async () => (await import('./import.js')).runImportBenchmark(),
  },
  booking: {
    summary: 'POST /api/appointments from 50 connections over 1,000 free slots (each offered twice) with slot-list reads: throughput, p99, double bookings by SQL (must be 0), ratio to health',
    run: async () => (await import('./booking.js')).runBookingBenchmark(),
  },
  'visits-due': {
    summary: 'GET /api/visits/due and /summary on 30,000 residents with ~100,000 visits: median and max vs health (in process)',
    run: async () => (await import('./visits-due.js')).runVisitsDueBenchmark(),
  },
  search: {
    summary: 'resident list and search on 100,000 residents (name, pinyin, exact ID/phone, filters): p50/p99 vs health',
    run: async () => (await import('./search.js')).runSearchBenchmark(),
  },
};

function printList(out: (s: string) => void): void {
  out('Usage: npm run bench -- <name>\n\nBenchmarks:');
  for (const [name, b] of Object.entries(BENCHMARKS)) out(`  ${name.padEnd(8)} ${b.summary}`);
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || name === '--list' || name === '-h' || name === '--help') {
    printList((s) => console.log(s));
    return 0;
  }
  const bench = Object.hasOwn(BENCHMARKS, name) ? BENCHMARKS[name] : undefined;
  if (!bench) {
    console.error(`Unknown benchmark "${name}".\n`);
    printList((s) => console.error(s));
    return 2;
  }
  await bench.run();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`Benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
