import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Skeleton, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiGet, isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RiskTierTag } from '../../components/RiskTierTag';
import { clock, minuteOf } from './api';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const TIERS = ['high', 'priority', 'normal'] as const;
type Block = { start: string; end: string };
type Week = Record<string, Block[]>;

interface Settings {
  stationId: string;
  officeHours: Record<string, number[][]>;
  consultationResponseMinutes: number;
  visitDays: { high: number; priority: number; normal: number };
  complaintResponseDays: number;
  customised: boolean;
  /** When they were last saved (null: never); sent back with a change for the compare-and-swap. */
  updatedAt: string | null;
}

const settingsKey = (stationId: string | undefined) => ['station-settings', stationId ?? ''] as const;

/**
 * 站点设置: office hours (consultation deadlines count only these, skipping holidays and counting
 * make-up working days), the first-reply time, visit cadence per risk tier and the complaint deadline.
 * The station head edits; workers read.
 */
export function StationSettingsTab({ stationId, isHead }: { stationId: string | undefined; isHead: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: settingsKey(stationId),
    queryFn: ({ signal }) => apiGet<{ settings: Settings }>('/api/station-settings', { stationId }, signal).then((r) => r.settings),
    enabled: !!stationId,
  });
  const [week, setWeek] = useState<Week | null>(null);
  const [hours, setHours] = useState<number | null>(null);
  const [visit, setVisit] = useState<Settings['visitDays']>({ high: 7, priority: 30, normal: 90 });
  const [complaint, setComplaint] = useState<number | null>(null);
  const [bad, setBad] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);

  useEffect(() => {
    const s = settings.data;
    if (!s) return;
    setWeek(Object.fromEntries(WEEKDAYS.map((d) => [d, (s.officeHours[d] ?? []).map(([a = 0, b = 0]) => ({ start: clock(a), end: clock(b) }))])));
    setHours(s.consultationResponseMinutes / 60);
    setVisit(s.visitDays);
    setComplaint(s.complaintResponseDays);
  }, [settings.data]);

  if (!stationId) return null;
  if (settings.error) return <ErrorAlert error={settings.error} />;
  if (!week || !settings.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const update = (day: string, change: (blocks: Block[]) => Block[]) => setWeek((w) => (w ? { ...w, [day]: change(w[day] ?? []) } : w));

  async function save() {
    if (!week || !settings.data) return;
    setError(null);
    setConflict(false);
    const local: Record<string, string> = {};
    const officeHours = Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        (week[d] ?? []).map((b, i) => {
          const s = minuteOf(b.start);
          const e = b.end === '00:00' ? 1440 : minuteOf(b.end);
          if (s === null || e === null) local[`officeHours.${d}.${i}`] = t('errors.validation_failed');
          return [s ?? 0, e ?? 0];
        }),
      ]),
    );
    setBad(local);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const r = await api<{ settings: Settings }>('/api/station-settings', {
        method: 'PUT',
        body: { stationId, officeHours, consultationResponseMinutes: Math.round((hours ?? 0) * 60), visitDays: visit, complaintResponseDays: complaint ?? 0, updatedAt: settings.data.updatedAt },
      });
      qc.setQueryData(settingsKey(stationId), r.settings);
      message.success(t('consultations.settings.saved'));
    } catch (e) {
      if (isApiError(e) && e.id === 'version_conflict') {
        // Someone saved in between: show theirs (the form reloads from the fresh settings) and say so.
        setBad({});
        setConflict(true);
        // On a phone the save button is far below the notice: say it where the user is too.
        message.warning(t('consultations.settings.conflict'));
        await qc.invalidateQueries({ queryKey: settingsKey(stationId) });
        return;
      }
      if (isApiError(e)) setBad(e.fields);
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  const fieldHelp = (key: string) => (bad[key] ? { validateStatus: 'error' as const, help: bad[key] } : {});

  return (
    <section className="xq-svc-section" data-testid="station-settings">
      <Typography.Paragraph type="secondary">{t('consultations.settings.intro')}</Typography.Paragraph>
      {!isHead && <Alert type="info" showIcon title={t('consultations.settings.readOnly')} style={{ marginBottom: 16 }} data-testid="settings-readonly" />}
      {!settings.data.customised && <Tag style={{ marginBottom: 12 }}>{t('consultations.settings.defaults')}</Tag>}
      <ErrorAlert error={error} />
      {conflict && <Alert type="warning" showIcon title={t('consultations.settings.conflict')} closable onClose={() => setConflict(false)} style={{ marginBottom: 16 }} data-testid="settings-conflict" />}
      <Typography.Title level={5}>{t('consultations.settings.officeHours')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('consultations.settings.officeHint')}</Typography.Paragraph>
      <div className="xq-svc-week">
        {WEEKDAYS.map((day) => (
          <div key={day} className="xq-svc-day" data-testid={`office-day-${day}`}>
            <div className="xq-svc-dayname">{t(`services.weekday.${day}`)}</div>
            <div className="xq-svc-blocks">
              {(week[day] ?? []).length === 0 && <span className="xq-muted">{t('services.rest')}</span>}
              {(week[day] ?? []).map((b, i) => {
                const invalid = bad[`officeHours.${day}.${i}`];
                return (
                  <span key={i} className={invalid ? 'xq-svc-block invalid' : 'xq-svc-block'} title={invalid}>
                    <Input type="time" size="small" value={b.start} disabled={!isHead} status={invalid ? 'error' : undefined} aria-label={`${t(`services.weekday.${day}`)} ${t('services.from')}`} onChange={(e) => update(day, (bs) => bs.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} />
                    <span>–</span>
                    <Input type="time" size="small" value={b.end} disabled={!isHead} status={invalid ? 'error' : undefined} aria-label={`${t(`services.weekday.${day}`)} ${t('services.to')}`} onChange={(e) => update(day, (bs) => bs.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} />
                    {isHead && <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('services.removeBlock')} onClick={() => update(day, (bs) => bs.filter((_, j) => j !== i))} />}
                    {invalid && <span style={{ color: "#cf1322", fontSize: "0.85em" }} data-testid="office-error">{invalid}</span>}
                  </span>
                );
              })}
              {isHead && (
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => update(day, (bs) => [...bs, bs.length ? { start: '14:00', end: '17:30' } : { start: '08:30', end: '12:00' }])} data-testid={`office-add-${day}`}>
                  {t('services.addBlock')}
                </Button>
              )}
            </div>
          </div>
        ))}
      </div>
      <Form layout="vertical" component="div" style={{ marginTop: 16, maxWidth: 560 }} disabled={!isHead}>
        <Form.Item label={t('consultations.settings.responseHours')} extra={t('consultations.settings.responseHint')} {...fieldHelp('consultationResponseMinutes')}>
          <InputNumber min={0.5} max={80} step={0.5} value={hours} onChange={(v) => setHours(v)} addonAfter={t('consultations.settings.hoursUnit')} data-testid="settings-response-hours" />
        </Form.Item>
        <Form.Item label={t('consultations.settings.visitDays')} {...fieldHelp(bad['visitDays.high'] ? 'visitDays.high' : bad['visitDays.priority'] ? 'visitDays.priority' : 'visitDays.normal')}>
          <Space wrap>
            {TIERS.map((tier) => (
              <Space key={tier} size={4}>
                <RiskTierTag tier={tier} />
                <InputNumber min={1} max={366} value={visit[tier]} onChange={(v) => setVisit((x) => ({ ...x, [tier]: v ?? 0 }))} status={bad[`visitDays.${tier}`] ? 'error' : undefined} style={{ width: 90 }} aria-label={tier} data-testid={`settings-visit-${tier}`} />
              </Space>
            ))}
            <span className="xq-muted">{t('consultations.settings.daysUnit')}</span>
          </Space>
        </Form.Item>
        <Form.Item label={t('consultations.settings.complaintDays')} {...fieldHelp('complaintResponseDays')}>
          <InputNumber min={1} max={60} value={complaint} onChange={(v) => setComplaint(v)} addonAfter={t('consultations.settings.workdaysUnit')} data-testid="settings-complaint-days" />
        </Form.Item>
      </Form>
      {isHead && (
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="settings-save">
          {t('consultations.settings.save')}
        </Button>
      )}
    </section>
  );
}
