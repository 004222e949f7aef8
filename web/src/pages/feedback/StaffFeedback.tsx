import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Radio, Segmented, Skeleton, Tabs, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { apiPost } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCursorList } from '../../api/useCursorList';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { Time } from '../../components/Time';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { FEEDBACK_KEY, itemAction, newKey, useInvalidateFeedback, useRate, useSubmitItem, type FeedbackKind, type ItemAction, type ItemView, type ToRateView } from './api';
import { Deadline, DueDay, ItemStatusTag } from './bits';
import { Satisfaction } from './Satisfaction';
import { Stars } from './Stars';
import { WorkerPicker } from './WorkerPicker';

const TABS = ['follow-up', 'complaints', 'suggestions', 'satisfaction'] as const;
type Tab = (typeof TABS)[number];

export const isHead = (user: { roles: { role: string }[] }) => user.roles.some((r) => r.role === 'station_head');

/** The staff side: follow-up calls, complaints, suggestions, and (station heads) satisfaction. */
export function StaffFeedback() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useUser();
  const head = isHead(user);
  const { tab: raw } = useParams();
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'follow-up';
  const [registering, setRegistering] = useState(false);
  const items = [
    { key: 'follow-up', label: t('feedback.tabs.followUp'), children: <FollowUp /> },
    { key: 'complaints', label: t('feedback.tabs.complaints'), children: <Items kind="complaint" head={head} /> },
    { key: 'suggestions', label: t('feedback.tabs.suggestions'), children: <Items kind="suggestion" head={head} /> },
    // A social worker sees their own numbers on the same tab; the whole station is the head's.
    { key: 'satisfaction', label: t('feedback.tabs.satisfaction'), children: <Satisfaction /> },
  ];
  return (
    <div className="xq-page" data-testid="feedback-staff">
      <PageHeader
        title={t('feedback.title')}
        extra={
          <Button onClick={() => setRegistering(true)} data-testid="item-register">
            {t('feedback.registerItem')}
          </Button>
        }
      />
      <Tabs activeKey={tab} onChange={(k) => navigate(`/feedback/${k}`)} items={items} destroyOnHidden data-testid="feedback-tabs" />
      <RegisterItem open={registering} onClose={() => setRegistering(false)} />
    </div>
  );
}

// ---- 回访清单 ----

function FollowUp() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const days = params.get('days') ?? '7';
  const list = useCursorList<ToRateView>([...FEEDBACK_KEY, 'to-rate', 'staff'], '/api/feedback/to-rate', { days });
  return (
    <div data-testid="follow-up">
      <div className="xq-fb-filters">
        <Segmented
          value={days}
          onChange={(v) => setParams({ days: String(v) }, { replace: true })}
          options={['7', '14', '30'].map((d) => ({ value: d, label: t('feedback.days', { count: Number(d) }) }))}
        />
      </div>
      <Typography.Paragraph type="secondary">{t('feedback.followUpHint', { days })}</Typography.Paragraph>
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('feedback.noneFollowUp')} />
      ) : (
        <div className="xq-fb-grid">
          {list.items.map((r) => (
            <FollowUpCard key={r.serviceRecordId} r={r} />
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}

/** Tap the stars the resident said on the phone, then save: two taps. */
function FollowUpCard({ r }: { r: ToRateView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const own = useUser().id === r.worker.id;
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [key] = useState(newKey);
  const rate = useRate();
  const saved = rate.data?.rating;
  return (
    <Card size="small" data-testid="follow-up-card" data-id={r.serviceRecordId}>
      <div className="xq-fb-card-head">
        <strong className="xq-fb-card-title">{r.resident.name}</strong>
        <span className="xq-muted">{r.worker.name}</span>
      </div>
      <div className="xq-muted">
        {r.serviceType?.name ?? t('feedback.noType')} · <Time value={r.start} />
      </div>
      {saved ? (
        <div className="xq-fb-saved" data-testid="follow-up-saved">
          {t('feedback.rated', { score: saved.score })}
        </div>
      ) : own ? (
        // The server refuses it too (serviceRecordId: own_service): nobody grades their own service.
        <div className="xq-muted" data-testid="follow-up-own">
          {t('feedback.ownService')}
        </div>
      ) : (
        <>
          <Stars value={score} onChange={setScore} size="small" testId="follow-up-stars" />
          {score > 0 && (
            <>
              <Input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} placeholder={t('feedback.commentOptional')} style={{ marginBottom: 8 }} />
              <ErrorAlert error={rate.error} />
              <Button
                type="primary"
                block
                loading={rate.isPending}
                onClick={() =>
                  rate.mutate(
                    { serviceRecordId: r.serviceRecordId, score, comment: comment.trim() || null, channel: 'phone', key },
                    { onSuccess: () => void message.success(t('feedback.rated', { score })) },
                  )
                }
                data-testid="follow-up-save"
              >
                {t('feedback.phoneRate', { score })}
              </Button>
            </>
          )}
        </>
      )}
    </Card>
  );
}

// ---- 投诉 / 意见建议 ----

const FILTERS = ['open', 'overdue', 'all'] as const;

function Items({ kind, head }: { kind: FeedbackKind; head: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS as readonly string[]).includes(params.get('show') ?? '') ? (params.get('show') as (typeof FILTERS)[number]) : 'open';
  const query: Record<string, string | undefined> = { kind };
  if (filter === 'open') query.settled = 'false';
  if (filter === 'overdue') query.overdue = 'true';
  const list = useCursorList<ItemView>([...FEEDBACK_KEY, 'items', kind], '/api/feedback-items', query);
  const refresh = useInvalidateFeedback();
  const sweep = useMutation({
    mutationFn: () => apiPost<{ escalated: number; reminded: number }>('/api/feedback-items/sweep'),
    onSuccess: (r) => {
      void message.success(t('feedback.sweepDone', { count: r.escalated, reminded: r.reminded }));
      refresh();
    },
  });
  const highlighted = params.get('item');
  return (
    <div data-testid={`items-${kind}`}>
      <div className="xq-fb-filters">
        <Segmented
          value={filter}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            next.set('show', String(v));
            setParams(next, { replace: true });
          }}
          options={FILTERS.filter((f) => kind === 'complaint' || f !== 'overdue').map((f) => ({ value: f, label: t(`feedback.filter${f === 'open' ? 'Open' : f === 'overdue' ? 'Overdue' : 'All'}`) }))}
          data-testid="items-filter"
        />
        {head && kind === 'complaint' && (
          <Button onClick={() => sweep.mutate()} loading={sweep.isPending} data-testid="items-sweep">
            {t('feedback.sweep')}
          </Button>
        )}
      </div>
      <ErrorAlert error={list.error ?? sweep.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('feedback.noItems')} />
      ) : (
        <div className="xq-fb-grid">
          {list.items.map((i) => (
            <ItemCard key={i.id} item={i} highlighted={i.id === highlighted} head={head} />
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
    </div>
  );
}

/** What the item's state allows; a station head is where escalation leads, so they get no 转站长. */
function actionsFor(i: ItemView, head: boolean): ItemAction[] {
  const out: ItemAction[] = [];
  if (i.status === 'open') out.push('start');
  if (i.status === 'open' || i.status === 'in_progress') out.push('respond');
  if (i.status !== 'closed') out.push('close');
  if (!head && (i.status === 'open' || i.status === 'in_progress') && !i.escalatedAt) out.push('escalate');
  return out;
}

function ItemCard({ item: i, highlighted, head }: { item: ItemView; highlighted: boolean; head: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useInvalidateFeedback();
  const [responding, setResponding] = useState(false);
  const [response, setResponse] = useState('');
  const act = useMutation({
    mutationFn: ({ action, extra }: { action: ItemAction; extra?: Record<string, unknown> }) => itemAction(i, action, extra),
    onSuccess: (_r, v) => {
      void message.success(t(`feedback.done.${v.action}`));
      setResponding(false);
      refresh();
    },
  });
  const red = i.overdue || !!i.escalatedAt;
  return (
    <Card
      size="small"
      className={`xq-fb-item ${red ? 'is-red' : ''} ${highlighted ? 'is-highlighted' : ''}`}
      data-testid="item-card"
      data-id={i.id}
      data-overdue={i.overdue ? '1' : '0'}
      title={<span className="xq-fb-card-title xq-break">{i.subject}</span>}
      extra={<ItemStatusTag status={i.status} />}
    >
      <Deadline item={i} />
      <p className="xq-break" style={{ margin: '8px 0' }}>
        {i.body}
      </p>
      <dl className="xq-card-fields">
        <div className="xq-card-field">
          <dt>{t('feedback.channelLabel')}</dt>
          <dd>
            {t(`feedback.channel.${i.channel}`)} · {i.resident?.name ?? t('feedback.anonymous')}
          </dd>
        </div>
        {i.aboutWorker && (
          <div className="xq-card-field">
            <dt>{t('feedback.aboutWorker')}</dt>
            <dd>{i.aboutWorker.name}</dd>
          </div>
        )}
        <div className="xq-card-field">
          <dt>{t('feedback.submittedAt')}</dt>
          <dd>
            <Time value={i.createdAt} />
          </dd>
        </div>
        {i.dueAt && (
          <div className="xq-card-field">
            <dt>{t('feedback.due')}</dt>
            <dd>
              <DueDay dueAt={i.dueAt} />
            </dd>
          </div>
        )}
        {i.handler && (
          <div className="xq-card-field">
            <dt>{t('feedback.handler')}</dt>
            <dd>{i.handler.name}</dd>
          </div>
        )}
        {i.response && (
          <div className="xq-card-field">
            <dt>{t('feedback.response')}</dt>
            <dd className="xq-break">{i.response}</dd>
          </div>
        )}
      </dl>
      <ErrorAlert error={act.error} />
      <div className="xq-fb-actions">
        {actionsFor(i, head).map((a) => (
          <Button
            key={a}
            type={a === 'respond' ? 'primary' : 'default'}
            danger={a === 'escalate'}
            loading={act.isPending && act.variables?.action === a}
            onClick={() => (a === 'respond' ? setResponding(true) : act.mutate({ action: a }))}
            data-testid={`item-${a}`}
          >
            {t(`feedback.act.${a}`)}
          </Button>
        ))}
      </div>
      <Modal open={responding} title={t('feedback.respondTitle', { subject: i.subject })} onCancel={() => setResponding(false)} footer={null} destroyOnHidden>
        <Input.TextArea value={response} onChange={(e) => setResponse(e.target.value)} maxLength={4000} autoSize={{ minRows: 4, maxRows: 10 }} placeholder={t('feedback.responsePlaceholder')} data-testid="item-response" />
        <div className="xq-stack" style={{ marginTop: 12 }}>
          <Button type="primary" block disabled={!response.trim()} loading={act.isPending} onClick={() => act.mutate({ action: 'respond', extra: { response: response.trim() } })} data-testid="item-response-save">
            {t('feedback.act.respond')}
          </Button>
          <Button block onClick={() => setResponding(false)}>
            {t('feedback.cancel')}
          </Button>
        </div>
      </Modal>
    </Card>
  );
}

// ---- 代居民登记 ----

interface RegisterValues {
  kind: FeedbackKind;
  channel: 'phone' | 'in_person' | 'box';
  residentId?: string;
  aboutWorkerId?: string | null;
  subject: string;
  body: string;
}

function RegisterItem({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RegisterValues>();
  const [key, setKey] = useState(newKey);
  const submit = useSubmitItem();
  const kind = Form.useWatch('kind', form);
  return (
    <Modal open={open} title={t('feedback.registerItem')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<RegisterValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'suggestion', channel: 'phone' }}
        onFinish={(v) =>
          submit.mutate(
            { kind: v.kind, channel: v.channel, residentId: v.residentId ?? null, aboutWorkerId: v.kind === 'complaint' ? (v.aboutWorkerId ?? null) : null, subject: v.subject.trim(), body: v.body.trim(), key },
            {
              onSuccess: () => {
                void message.success(t('feedback.submitted'));
                form.resetFields();
                setKey(newKey());
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="kind" label={t('feedback.kindQuestion')}>
          <Radio.Group optionType="button" options={(['suggestion', 'complaint'] as const).map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="channel" label={t('feedback.channelLabel')}>
          <Radio.Group optionType="button" options={(['phone', 'in_person', 'box'] as const).map((c) => ({ value: c, label: t(`feedback.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="residentId" label={t('feedback.resident')}>
          <ResidentPicker testId="item-resident" />
        </Form.Item>
        {kind === 'complaint' && (
          <Form.Item name="aboutWorkerId" label={t('feedback.aboutWorkerQuestion')} extra={<span data-testid="register-about-hint">{t('feedback.aboutWorkerHint')}</span>}>
            <WorkerPicker testId="register-about-worker" />
          </Form.Item>
        )}
        <Form.Item name="subject" label={t('feedback.subject')} rules={[{ required: true, whitespace: true, message: t('feedback.required') }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="body" label={t('feedback.body')} rules={[{ required: true, whitespace: true, message: t('feedback.required') }]}>
          <Input.TextArea maxLength={4000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <ErrorAlert error={submit.error} />
        <Button type="primary" htmlType="submit" block loading={submit.isPending}>
          {t('feedback.submit')}
        </Button>
      </Form>
    </Modal>
  );
}
