import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Radio, Skeleton, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Time } from '../../components/Time';
import { actionsFor, act, useCandidates, useRefresh, useRequest, type CandidateView, type ServiceMethod, type ServiceRequest, type Side } from './api';
import { RequestSteps, ScoreBars, StatusTag, UrgencyTag, areaName, explain } from './bits';

/** One request: facts, progress, the actions this user may take and (staff) the ranked candidates. */
export function RequestDetail({ side }: { side: Side }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const q = useRequest(id);
  const r = q.data?.request;
  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/requests')} style={{ paddingInline: 0 }} data-testid="request-back">
      {t('requests.back')}
    </Button>
  );
  if (q.isPending) return <div className="xq-page">{back}<Skeleton active paragraph={{ rows: 8 }} /></div>;
  if (!r) return <div className="xq-page">{back}<ErrorAlert error={q.error} /></div>;
  const actions = actionsFor(r.status, side);
  return (
    <div className={`xq-page ${side === 'staff' ? '' : 'xq-resident-page'}`} data-testid="request-detail" data-id={r.id} data-status={r.status}>
      {back}
      <div className="xq-req-detail-head">
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="request-title">
          {r.title}
        </Typography.Title>
        <span className="xq-req-tags">
          <UrgencyTag urgency={r.urgency} />
          <StatusTag status={r.status} />
        </span>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('requests.field.resident')}>{r.resident.name}</Descriptions.Item>
          <Descriptions.Item label={t('requests.field.village')}>{r.village.name}</Descriptions.Item>
          <Descriptions.Item label={t('requests.field.area')}>{areaName(t, r.area)}</Descriptions.Item>
          <Descriptions.Item label={t('requests.field.created')}>
            <Time value={r.createdAt} /> · {t(`requests.source.${r.source}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('requests.field.assignee')}>
            <span data-testid="request-assignee">{r.assignee?.name ?? t('requests.unassigned')}</span>
          </Descriptions.Item>
          {r.description && (
            <Descriptions.Item label={t('requests.field.description')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{r.description}</span>
            </Descriptions.Item>
          )}
          {r.outcome && <Descriptions.Item label={t('requests.field.outcome')} span={2}>{r.outcome}</Descriptions.Item>}
          {r.cancelReason && <Descriptions.Item label={t('requests.field.reason')} span={2}>{r.cancelReason}</Descriptions.Item>}
        </Descriptions>
        {r.serviceRecordId && <Alert type="success" showIcon title={t('requests.record')} style={{ marginTop: 8 }} data-testid="request-record" />}
      </Card>
      <Card size="small" title={t('requests.history')} style={{ marginBottom: 16 }}>
        <RequestSteps request={r} history={q.data?.history} />
      </Card>
      <Actions r={r} side={side} actions={actions} />
      {side === 'staff' && (r.status === 'open' || r.status === 'assigned') && <Candidates r={r} />}
    </div>
  );
}

function Actions({ r, side, actions }: { r: ServiceRequest; side: Side; actions: ReturnType<typeof actionsFor> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [open, setOpen] = useState<'fulfil' | 'cancel' | null>(null);
  const start = useMutation({
    mutationFn: () => act(r, 'start'),
    onSuccess: () => {
      void message.success(t('requests.done.start'));
      refresh();
    },
  });
  const shown = actions.filter((a) => a !== 'assign');
  if (shown.length === 0) return null;
  return (
    <div className="xq-req-actions">
      <ErrorAlert error={start.error} />
      {shown.includes('start') && (
        <Button size="large" type={shown.includes('fulfil') && r.status !== 'assigned' ? 'default' : 'primary'} loading={start.isPending} onClick={() => start.mutate()} data-testid="request-start">
          {t('requests.action.start')}
        </Button>
      )}
      {shown.includes('fulfil') && (
        <Button size="large" type="primary" onClick={() => setOpen('fulfil')} data-testid="request-fulfil">
          {t('requests.action.fulfil')}
        </Button>
      )}
      {shown.includes('cancel') && (
        <Button size="large" danger onClick={() => setOpen('cancel')} data-testid="request-cancel">
          {side === 'resident' ? t('requests.mine.cancel') : t('requests.action.cancel')}
        </Button>
      )}
      <FulfilModal r={r} open={open === 'fulfil'} onClose={() => setOpen(null)} />
      <CancelModal r={r} open={open === 'cancel'} onClose={() => setOpen(null)} />
    </div>
  );
}

const METHODS: ServiceMethod[] = ['visit', 'phone', 'station', 'online', 'casework'];
const DURATIONS = [30, 60, 90, 120, 180];

/** One phone screen: what was done, how, and how long it took (ending now). */
function FulfilModal({ r, open, onClose }: { r: ServiceRequest; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [form] = Form.useForm<{ outcome: string; method: ServiceMethod; minutes: number }>();
  const save = useMutation({
    mutationFn: (v: { outcome: string; method: ServiceMethod; minutes: number }) => {
      const end = new Date(Date.now() - 60_000);
      const start = new Date(end.getTime() - v.minutes * 60_000);
      return act(r, 'fulfil', { outcome: v.outcome, method: v.method, start: start.toISOString(), end: end.toISOString() });
    },
    onSuccess: () => {
      void message.success(t('requests.done.fulfil'));
      onClose();
      refresh();
    },
  });
  return (
    <Modal open={open} title={t('requests.fulfilTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('requests.fulfilHint')}</Typography.Paragraph>
      <ErrorAlert error={save.error} />
      <Form form={form} layout="vertical" initialValues={{ method: 'visit', minutes: 60 }} onFinish={(v) => save.mutate(v)} requiredMark={false}>
        <Form.Item name="outcome" label={t('requests.field.outcome')} rules={[{ required: true, whitespace: true, message: t('requests.field.outcome') }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="fulfil-outcome" />
        </Form.Item>
        <Form.Item name="method" label={t('requests.field.method')}>
          <Radio.Group optionType="button" options={METHODS.map((m) => ({ value: m, label: t(`serviceRecords.method.${m}`) }))} />
        </Form.Item>
        <Form.Item name="minutes" label={t('requests.field.minutes')}>
          <Radio.Group optionType="button" options={DURATIONS.map((m) => ({ value: m, label: m < 60 ? `${m}′` : `${m / 60}h` }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={save.isPending} data-testid="fulfil-submit">
          {t('requests.action.fulfil')}
        </Button>
      </Form>
    </Modal>
  );
}

function CancelModal({ r, open, onClose }: { r: ServiceRequest; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => act(r, 'cancel', { reason: reason.trim() }),
    onSuccess: () => {
      void message.success(t('requests.done.cancel'));
      onClose();
      refresh();
    },
  });
  return (
    <Modal open={open} title={t('requests.cancelTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <ErrorAlert error={cancel.error} />
      <Form layout="vertical">
        <Form.Item label={t('requests.field.reason')} required>
          <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="cancel-reason" />
        </Form.Item>
      </Form>
      <div className="xq-stack">
        <Button block size="large" danger type="primary" disabled={!reason.trim()} loading={cancel.isPending} onClick={() => cancel.mutate()} data-testid="cancel-yes">
          {t('requests.action.cancel')}
        </Button>
        <Button block size="large" onClick={onClose}>
          {t('requests.cancelKeep')}
        </Button>
      </div>
    </Modal>
  );
}

/** The ranked people, each with bars for the score parts, the reasons in words and one-tap assign. */
function Candidates({ r }: { r: ServiceRequest }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const c = useCandidates(r.id, true);
  const assign = useMutation({
    mutationFn: (who: CandidateView) => act(r, 'assign', { assigneeId: who.user.id }),
    onSuccess: (_res, who) => {
      void message.success(t('requests.done.assign', { name: who.user.name }));
      refresh();
    },
  });
  return (
    <Card size="small" title={t('requests.candidates.title')} data-testid="request-candidates">
      <Typography.Paragraph type="secondary">{t('requests.candidates.hint')}</Typography.Paragraph>
      <ErrorAlert error={c.error ?? assign.error} />
      {c.isPending ? (
        <Skeleton active />
      ) : (c.data?.items ?? []).length === 0 ? (
        <Empty description={t('requests.candidates.empty')} />
      ) : (
        <ol className="xq-req-candidates">
          {c.data!.items.map((x, i) => {
            const current = r.assignee?.id === x.user.id;
            return (
              <li key={x.user.id} className="xq-req-candidate" data-testid="candidate" data-user={x.user.id} data-score={x.score}>
                <div className="xq-req-candidate-head">
                  <span className="xq-req-rank">{i + 1}</span>
                  <strong>{x.user.name}</strong>
                  <Tag style={{ marginInlineEnd: 0 }}>{t(`requests.candidates.role.${x.role}`)}</Tag>
                  <span className="xq-req-score">{t('requests.candidates.score', { score: x.score })}</span>
                  {current ? (
                    <Tag color="blue">{t('requests.candidates.current')}</Tag>
                  ) : (
                    <Button type="primary" size="small" loading={assign.isPending && assign.variables?.user.id === x.user.id} disabled={assign.isPending} onClick={() => assign.mutate(x)} data-testid="candidate-assign">
                      {t('requests.candidates.assign')}
                    </Button>
                  )}
                </div>
                <ScoreBars c={x} />
                <ul className="xq-req-why" data-testid="candidate-why">
                  {explain(t, x, c.data!.area, c.data!.village.name).map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
