import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, App, Button, Card, Form, Input, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { apiGet, apiPost } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorText } from '../../components/errors';
import { formatDateTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import type { ResidentDetailView } from '../../../../server/src/modules/residents/schema';
import { downloadPost, type AccessReportView } from './api';
import './privacy.css';

function Table({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId?: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <Typography.Text type="secondary">{t('privacy.access.none')}</Typography.Text>;
  return (
    <div className="xq-report-scroll">
      <table className="xq-report-table" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ rep }: { rep: AccessReportView }) {
  const { t, i18n } = useTranslation();
  const dt = (v: string | null) => (v ? formatDateTime(v, i18n.language) : '');
  const f = (k: string) => t(`privacy.access.f.${k}`);
  const p = rep.profile;
  const kv: [string, ReactNode][] = [
    [f('name'), p.name],
    [f('gender'), t(`privacy.gender.${p.gender}`)],
    [f('birthDate'), p.birthDate],
    [f('idNumber'), p.idNumber && <span className="xq-mono">{p.idNumber}</span>],
    [f('noIdReason'), p.noIdReason],
    [f('village'), p.villageName],
    [f('address'), p.address],
    [f('healthNotes'), p.healthNotes],
    [f('incomeNotes'), p.incomeNotes],
    [f('disabilityCertificate'), p.disabilityCertificate && <span className="xq-mono">{p.disabilityCertificate}</span>],
    [f('disability'), p.disabilityCategory ? t('privacy.access.disabilityValue', { category: p.disabilityCategory, grade: p.disabilityGrade ?? '' }) : ''],
    [f('guardian'), p.guardian?.name],
    [f('riskTier'), t(`privacy.risk.${p.riskTier}`)],
    [f('lawfulBasis'), t(`privacy.basis.${p.lawfulBasis}`)],
    [f('status'), t(`privacy.resStatus.${p.status}`)],
    [f('statusDate'), p.statusDate],
    [f('createdAt'), dt(p.createdAt)],
    [f('updatedAt'), dt(p.updatedAt)],
    [f('anonymisedAt'), dt(p.anonymisedAt)],
  ];
  const h = rep.household;
  return (
    <article className="xq-report" data-testid="access-report">
      <Typography.Title level={3} className="xq-report-title">
        {t('privacy.access.heading')}
      </Typography.Title>
      <div className="xq-report-meta">
        <span>
          {t('privacy.access.station')}：<strong data-testid="report-station">{rep.station.name}</strong>
        </span>
        {rep.station.operatorName && (
          <span>
            {t('privacy.access.operator')}：{rep.station.operatorName}
          </span>
        )}
        <span>
          {t('privacy.access.generatedAt')}：{dt(rep.generatedAt)}
        </span>
        <span>
          {t('privacy.access.generatedBy')}：{rep.generatedBy}
        </span>
        <span>
          {t('privacy.access.reason')}：{rep.reason}
        </span>
      </div>
      {p.anonymisedAt && <Alert type="info" showIcon title={t('privacy.access.anonymised')} style={{ marginBottom: 16 }} />}

      <section>
        <Typography.Title level={5}>{t('privacy.access.profile')}</Typography.Title>
        <table className="xq-report-table xq-report-kv" data-testid="report-profile">
          <tbody>
            {kv.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{v || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <Typography.Title level={5}>{t('privacy.access.phones')}</Typography.Title>
        <Table testId="report-phones" head={[f('number'), f('relation')]} rows={rep.phones.map((x) => [<span className="xq-mono">{x.number}</span>, t(`privacy.relation.${x.relation}`)])} />
      </section>
      <section>
        <Typography.Title level={5}>{t('privacy.access.categories')}</Typography.Title>
        {rep.categories.length ? rep.categories.map((c) => t(`privacy.category.${c}`)).join('、') : <Typography.Text type="secondary">{t('privacy.access.none')}</Typography.Text>}
      </section>
      <section>
        <Typography.Title level={5}>{t('privacy.access.household')}</Typography.Title>
        {h ? (
          <>
            <p>
              {f('householdAddress')}：{h.address ?? '—'} · {f('relationToHead')}：{h.relationToHead ? t(`privacy.relation.${h.relationToHead}`) : '—'}
            </p>
            <Table head={[f('name'), f('relationToHead')]} rows={h.members.map((m) => [m.name, t(`privacy.relation.${m.relationToHead}`)])} />
          </>
        ) : (
          <Typography.Text type="secondary">{t('privacy.access.none')}</Typography.Text>
        )}
      </section>
      <section>
        <Typography.Title level={5}>{t('privacy.access.consents')}</Typography.Title>
        <Table
          head={[f('purpose'), f('givenBy'), f('method'), f('givenOn'), f('expiresOn'), f('withdrawnAt')]}
          rows={rep.consents.map((c) => [
            t(`privacy.purpose.${c.purpose}`),
            c.givenBy === 'self' ? t('privacy.access.self') : t('privacy.access.guardianGiven', { name: c.guardianName ?? '' }),
            t(`privacy.method.${c.method}`),
            c.givenOn,
            c.expiresOn ?? '',
            c.withdrawnAt ? `${dt(c.withdrawnAt)}${c.withdrawnReason ? `（${c.withdrawnReason}）` : ''}` : '',
          ])}
        />
      </section>
      <section>
        <Typography.Title level={5}>{t('privacy.access.events')}</Typography.Title>
        <Table
          testId="report-events"
          head={[f('at'), f('kind'), f('actor'), f('field'), f('oldValue'), f('newValue')]}
          rows={rep.events.map((e) => [
            dt(e.at),
            i18n.exists(`privacy.event.${e.kind}`) ? t(`privacy.event.${e.kind}`) : e.kind,
            e.actorName ?? '',
            e.field ? (i18n.exists(`privacy.field.${e.field}`) ? t(`privacy.field.${e.field}`) : e.field) : '',
            e.oldValue ?? '',
            e.newValue ?? '',
          ])}
        />
      </section>
      <ServiceSections rep={rep} />
      <section>
        <Typography.Title level={5}>{t('privacy.access.deletion')}</Typography.Title>
        <Table
          head={[f('requestedAt'), t('privacy.col.reason'), t('privacy.col.status'), f('decidedAt')]}
          rows={rep.deletionRequests.map((d) => [dt(d.requestedAt), d.reason, t(`privacy.status.${d.status}`), dt(d.decidedAt)])}
        />
      </section>
      <p>{t('privacy.access.signNote')}</p>
      <div className="xq-report-sign">
        <div>{t('privacy.access.signPerson')}：</div>
        <div>{t('privacy.access.signStaff')}：</div>
        <div>{t('privacy.access.signDate')}：</div>
      </div>
    </article>
  );
}

/** The person's service history: what they booked, asked, needed, what workers saw and did, how they rated it. */
function ServiceSections({ rep }: { rep: AccessReportView }) {
  const { t, i18n } = useTranslation();
  const dt = (v: string | null) => (v ? formatDateTime(v, i18n.language) : '');
  const s = (k: string) => t(`privacy.access.svc.${k}`);
  /** A code in words, or the code itself when a newer one has no words yet. */
  const code = (group: string, v: string | null) => (v ? (i18n.exists(`privacy.access.svc.${group}.${v}`) ? t(`privacy.access.svc.${group}.${v}`) : v) : '');
  const section = (title: string, testId: string, head: string[], rows: ReactNode[][]) => (
    <section>
      <Typography.Title level={5}>
        {title}
        {rows.length > 0 && <Typography.Text type="secondary"> （{rows.length}）</Typography.Text>}
      </Typography.Title>
      <Table testId={testId} head={head} rows={rows} />
    </section>
  );
  return (
    <div className="xq-report-svc">
      {section(s('appointments'), 'report-appointments', [s('start'), s('service'), s('worker'), s('status'), s('channel'), s('note')], rep.appointments.map((a) => [
        dt(a.start), a.serviceName, a.workerName, code('apptStatus', a.status), code('channel_', a.channel), [a.note, a.cancelReason && `${s('cancelReason')}：${a.cancelReason}`].filter(Boolean).join('；'),
      ]))}
      {section(s('consultations'), 'report-consultations', [s('askedAt'), s('area'), s('subject'), s('status'), s('thread'), s('resolution')], rep.consultations.map((c) => [
        dt(c.createdAt), code('area_', c.area), c.subject, code('consultStatus', c.status),
        <div className="xq-report-thread">
          {c.messages.map((m, i) => (
            <div key={i}>
              <Typography.Text type="secondary">{dt(m.at)} {m.side === 'staff' ? `${s('staff')} ${m.authorName}` : s('resident')}：</Typography.Text>
              {m.body}
            </div>
          ))}
        </div>,
        c.resolution ?? '',
      ]))}
      {section(s('requests'), 'report-requests', [s('askedAt'), s('title'), s('description'), s('urgency'), s('status'), s('assignee'), s('outcome')], rep.serviceRequests.map((q) => [
        dt(q.createdAt), q.title, q.description, code('urgency_', q.urgency), code('requestStatus', q.status), q.assigneeName ?? '', q.outcome ?? '',
      ]))}
      {section(s('visits'), 'report-visits', [s('visitedAt'), s('worker'), s('mode'), s('observations'), s('checklist'), s('flags')], rep.visits.map((v) => [
        dt(v.visitedAt), v.workerName, `${code('visitMode', v.mode)}${v.metResident ? '' : `（${s('met')}：${s('no')}）`}`, v.observations,
        // Only what was found wrong; a checklist with nothing wrong reads 正常.
        Object.entries(v.checklist).filter(([, x]) => x === 'concern').map(([k]) => code('check', k)).join('、') || code('checkValue', Object.keys(v.checklist).length ? 'ok' : null),
        v.riskFlags.map((f) => code('flag', f)).join('、'),
      ]))}
      {section(s('records'), 'report-records', [s('start'), s('service'), s('worker'), s('method'), s('summary'), s('outcome')], rep.serviceRecords.map((r) => [
        dt(r.start), r.serviceName ?? '', r.workerName, code('method_', r.method), r.summary, r.outcome ?? '',
      ]))}
      {section(s('ratings'), 'report-ratings', [s('start'), s('service'), s('worker'), s('score'), s('comment'), s('channel')], rep.ratings.map((g) => [
        dt(g.createdAt), g.serviceName ?? '', g.workerName, '★'.repeat(g.score), g.comment ?? '', code('channel_', g.channel),
      ]))}
      {section(s('feedback'), 'report-feedback', [s('askedAt'), s('kind'), s('subject'), s('body'), s('status'), s('response')], rep.feedback.map((f) => [
        dt(f.createdAt), code('kind_', f.kind), f.subject, f.body, code('feedbackStatus', f.status), f.response ?? '',
      ]))}
    </div>
  );
}

/** /residents/:id/access-report — PIPL Art. 45: ask for the reason, then show, print and export. */
export function AccessReportPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [report, setReport] = useState<AccessReportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const resident = useQuery({
    queryKey: ['residents', 'detail', id],
    queryFn: ({ signal }) => apiGet<{ resident: ResidentDetailView }>(`/api/residents/${encodeURIComponent(id)}`, undefined, signal),
  });

  const generate = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const res = await apiPost<{ report: AccessReportView }>(`/api/privacy/residents/${encodeURIComponent(id)}/access-report`, { reason: reason.trim() });
      setReport(res.report);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!report) return;
    setDownloading(true);
    try {
      await downloadPost(`/api/privacy/residents/${encodeURIComponent(id)}/access-report.xlsx`, { reason: report.reason }, 'access-report.xlsx');
    } catch (e) {
      void message.error(errorText(e, t, i18n.language));
    } finally {
      setDownloading(false);
    }
  };

  const back = (
    <Link to={`/residents/${id}`}>
      <Button icon={<ArrowLeftOutlined />}>{resident.data?.resident.name ?? t('privacy.viewResident')}</Button>
    </Link>
  );

  if (resident.error) return <ErrorAlert error={resident.error} />;
  return (
    <div className="xq-page">
      <div className="xq-report-actions">
        <PageHeader
          title={t('privacy.access.title')}
          sub={resident.data ? resident.data.resident.name : undefined}
          extra={
            report ? (
              <Space wrap>
                {back}
                <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">
                  {t('privacy.access.print')}
                </Button>
                <Button type="primary" icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()} data-testid="report-download">
                  {downloading ? t('privacy.access.downloading') : t('privacy.access.download')}
                </Button>
              </Space>
            ) : (
              back
            )
          }
        />
      </div>
      {!report && (
        <Card className="xq-report-form" style={{ maxWidth: 640 }}>
          {resident.isPending ? (
            <Skeleton active />
          ) : (
            <>
              <Typography.Paragraph>{t('privacy.access.intro')}</Typography.Paragraph>
              <ErrorAlert error={error} />
              <Form form={form} layout="vertical" onFinish={() => void generate()}>
                <Form.Item
                  name="reason"
                  label={t('privacy.access.reason')}
                  rules={[{ validator: (_, v: string | undefined) => ((v ?? '').trim().length >= 2 ? Promise.resolve() : Promise.reject(new Error(t('privacy.reasonRequired')))) }]}
                >
                  <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('privacy.access.reasonHint')} data-testid="report-reason" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="report-generate">
                  {t('privacy.access.generate')}
                </Button>
              </Form>
            </>
          )}
        </Card>
      )}
      {report && <Report rep={report} />}
    </div>
  );
}
