import { Type } from 'typebox';
import { sql } from 'kysely';
import type { App } from '../../lib/deps.js';
import { publicRoute } from '../../lib/policy.js';

export async function healthRoutes(app: App): Promise<void> {
  app.get(
    '/health',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), db: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]), version: Type.String() }),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(app.xq.db);
      return { status: 'ok' as const, db: app.xq.dialect, version: app.xq.version };
    },
  );

  app.get(
    '/openapi.json',
    { config: { policy: publicRoute }, schema: { hide: true } },
    async () => app.swagger(),
  );
}
