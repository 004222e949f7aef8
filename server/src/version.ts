import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, read once (the compiled server lives one folder deeper, so try both). */
export const VERSION: string = (() => {
  for (const p of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === 'xiangqiao' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
})();
