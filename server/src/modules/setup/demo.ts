import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import { createUser } from '../users/users.js';
import { ensureStation } from './setup.js';

/** 湖南省长沙市浏阳市大瑶镇: a real township, so codes and village names are real; all people are fictitious. */
export const DEMO_TOWNSHIP = '430181110000';
export const DEMO_VILLAGES = ['430181110232', '430181110233', '430181110234', '430181110235'];

export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'system_admin' },
  { username: 'zhanzhang', displayName: '李站长', role: 'station_head' },
  { username: 'shegong1', displayName: '张社工', role: 'social_worker' },
  { username: 'shegong2', displayName: '刘社工', role: 'social_worker' },
  { username: 'shuju', displayName: '陈数据', role: 'data_officer' },
  { username: 'xianqu', displayName: '赵督导', role: 'county_supervisor' },
  { username: 'jumin1', displayName: '王桂英', role: 'resident' },
  { username: 'zhiyuan1', displayName: '周志愿', role: 'volunteer' },
];

/** The demo station: four villages and one account per role. Safe to run again. */
export async function seedDemo(db: Kysely<DB>, password: string, now: Date): Promise<{ created: string[] }> {
  return db.transaction().execute(async (trx) => {
    const { stationId, countyId } = await ensureStation(
      trx,
      { townshipCode: DEMO_TOWNSHIP, stationName: '大瑶镇社工站（演示）', operatorModel: 'ngo', operatorName: '浏阳市乡桥社会工作服务中心（演示）', villageCodes: DEMO_VILLAGES },
      now,
    );
    const created: string[] = [];
    for (const a of DEMO_ACCOUNTS) {
      const exists = await trx.selectFrom('users').select('id').where('username', '=', a.username).executeTakeFirst();
      if (exists) continue;
      const scope =
        a.role === 'system_admin'
          ? { stationId: null, countyId: null }
          : a.role === 'county_supervisor'
            ? { stationId: null, countyId }
            : { stationId, countyId: null };
      await createUser(trx, { username: a.username, displayName: a.displayName, password, roles: [{ role: a.role, ...scope }], mustChangePassword: false, demoPassword: true }, now);
      created.push(a.username);
    }
    if (created.length) {
      await writeAudit(
        trx,
        { actorId: null, actorUsername: 'system', role: null, stationId, ip: null, requestId: null },
        { action: 'setup.demo_seed', result: 'ok', entityType: 'station', entityId: stationId, detail: { accounts: created } },
        now,
      );
    }
    return { created };
  });
}
