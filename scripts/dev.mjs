#!/usr/bin/env node
// `npm run dev`: the API server with reload on change (tsx watch) and Vite's dev server with hot
// module reload, which proxies /api to the API server. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const api = spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/src/main.ts'], {
  stdio: 'inherit',
  env: { ...process.env, XQ_SERVE_WEB: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
});
const web = spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
console.log('\n  Web with hot reload: http://127.0.0.1:5173/  (API on :3000, proxied)\n');
const stop = () => {
  api.kill('SIGTERM');
  web.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of [api, web]) child.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
