import { useState } from 'react';
import { App, Button, Drawer, Form, Input, Select, Space, Switch, Tag } from 'antd';
import { PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError, newIdempotencyKey } from '../../api/client';
import { useCursorList } from '../../api/useCursorList';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResponsiveTable, type Column } from '../../components/ResponsiveTable';
import { Time } from '../../components/Time';
import { ResidentPicker } from '../appointments/ResidentPicker';
import { AREAS, LIST_KEY, postAction, useRefresh, type Consultation, type Thread } from './api';
import { DueText, PhotoPicker, StatusTag } from './bits';

const STATUSES = ['open', 'answered', 'closed'] as const;

/** 咨询收件箱: overdue first (red, with how long), then by deadline; filters in the URL. */
export function Inbox() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  // The worker's to-do by default: threads waiting for a reply; 全部 shows every status.
  const rawStatus = params.get('status');
  const status = rawStatus === 'all' ? '' : (rawStatus ?? 'open');
  const area = params.get('area') ?? '';
  const overdue = params.get('overdue') === 'true';
  const mine = params.get('mine') === '1';
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const list = useCursorList<Consultation>(LIST_KEY, '/api/consultations', {
    status: status || undefined,
    area: area || undefined,
    overdue: overdue ? 'true' : undefined,
    assigneeId: mine ? user.id : undefined,
    residentId: params.get('residentId') ?? undefined,
  });

  async function assignToMe(c: Consultation) {
    try {
      const r = await postAction<{ consultation: Thread }>(`/api/consultations/${c.id}/assign`, { version: c.version, assigneeId: user.id });
      refresh(r.consultation);
      message.success(t('consultations.assigned'));
    } catch (e) {
      message.error(isApiError(e) ? e.message || t('errors.unknown_error') : t('errors.unknown_error'));
      list.refetch();
    }
  }

  const columns: Column<Consultation>[] = [
    { key: 'subject', title: t('consultations.field.subject'), hideOnCard: true, render: (c) => (
        <span className={c.overdue ? 'xq-cons-subject overdue' : 'xq-cons-subject'} data-testid={c.overdue ? 'overdue-row' : undefined}>
          {c.overdue && <Tag color="red">{t('consultations.overdueTag')}</Tag>}
          <Link to={`/consultations/${c.id}`}>{c.subject}</Link>
        </span>
      ),
    },
    { key: 'resident', title: t('consultations.field.resident'), render: (c) => c.resident.name },
    { key: 'area', title: t('consultations.field.area'), render: (c) => t(`services.area.${c.area}`) },
    { key: 'status', title: t('consultations.filter.status'), render: (c) => <StatusTag status={c.status} /> },
    {
      key: 'due',
      title: t('consultations.field.due'),
      render: (c) => (
        <Space direction="vertical" size={0}>
          <Time value={c.firstResponseDueAt} />
          <DueText c={c} />
        </Space>
      ),
    },
    {
      key: 'assignee',
      title: t('consultations.field.assignee'),
      render: (c) =>
        c.assignee ? (
          c.assignee.name
        ) : c.status === 'closed' ? (
          <span className="xq-muted">{t('consultations.unassigned')}</span>
        ) : (
          <Button size="small" onClick={() => void assignToMe(c)} data-testid="assign-me">
            {t('consultations.assignToMe')}
          </Button>
        ),
    },
    { key: 'created', title: t('consultations.field.created'), render: (c) => <Time value={c.createdAt} relative /> },
  ];

  return (
    <div className="xq-page" data-testid="consultations-inbox">
      <PageHeader
        title={t('consultations.title')}
        sub={t('consultations.staffSub')}
        extra={
          <Space wrap>
            <Link to="/faq">
              <Button icon={<QuestionCircleOutlined />}>{t('consultations.faqLink')}</Button>
            </Link>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-consultation">
              {t('consultations.askForResident')}
            </Button>
          </Space>
        }
      />
      <div className="xq-cons-filters" data-testid="consultation-filters">
        <Select
          value={status}
          onChange={(v: string) => set('status', v || 'all')}
          style={{ minWidth: 120 }}
          aria-label={t('consultations.filter.status')}
          options={[{ value: '', label: t('consultations.filter.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`consultations.status.${s}`) }))]}
          data-testid="filter-status"
        />
        <Select
          value={area}
          onChange={(v: string) => set('area', v || null)}
          style={{ minWidth: 140 }}
          aria-label={t('consultations.filter.area')}
          options={[{ value: '', label: t('consultations.filter.allAreas') }, ...AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))]}
          data-testid="filter-area"
        />
        <label className="xq-cons-switch">
          <Switch checked={overdue} onChange={(v) => set('overdue', v ? 'true' : null)} data-testid="filter-overdue" /> {t('consultations.filter.overdue')}
        </label>
        <label className="xq-cons-switch">
          <Switch checked={mine} onChange={(v) => set('mine', v ? '1' : null)} data-testid="filter-mine" /> {t('consultations.filter.mine')}
        </label>
      </div>
      <ErrorAlert error={list.error} />
      <ResponsiveTable
        rows={list.items}
        rowKey={(c) => c.id}
        columns={columns}
        loading={list.isLoading}
        empty={t('consultations.emptyInbox')}
        testId="consultation-list"
        cardTitle={(c) => (
          <Link to={`/consultations/${c.id}`} className={c.overdue ? 'xq-cons-card-title overdue' : 'xq-cons-card-title'}>
            {c.overdue && <Tag color="red">{t('consultations.overdueTag')}</Tag>}
            {c.subject}
          </Link>
        )}
      />
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />
      <NewForResident
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          refresh(c);
          navigate(`/consultations/${c.id}`);
        }}
      />
    </div>
  );
}

interface NewValues {
  residentId?: string;
  area?: string;
  subject?: string;
  body?: string;
  channel?: 'phone' | 'walk_in' | 'staff';
}

/** 代居民提问: a question taken on the phone or at the desk, entered for the resident. */
function NewForResident({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Thread) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewValues>();
  const residentId = Form.useWatch('residentId', form);
  const [photos, setPhotos] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);

  async function submit(v: NewValues) {
    setBusy(true);
    setError(null);
    try {
      const r = await postAction<{ consultation: Thread }>('/api/consultations', { ...v, photoIds: photos }, key);
      form.resetFields();
      setPhotos([]);
      setKey(newIdempotencyKey());
      onCreated(r.consultation);
    } catch (e) {
      if (!applyFieldErrors(form, e)) setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer open={open} onClose={onClose} title={t('consultations.newTitle')} width={480} destroyOnHidden data-testid="new-consultation-drawer">
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ channel: 'phone', area: 'policy' }}>
        <Form.Item name="residentId" label={t('consultations.field.resident')} rules={[{ required: true }]}>
          <ResidentPicker testId="new-resident" />
        </Form.Item>
        <Form.Item name="channel" label={t('consultations.field.channel')}>
          <Select options={(['phone', 'walk_in', 'staff'] as const).map((c) => ({ value: c, label: t(`consultations.channel.${c}`) }))} data-testid="new-channel" />
        </Form.Item>
        <Form.Item name="area" label={t('consultations.field.area')} rules={[{ required: true }]}>
          <Select options={AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))} data-testid="new-area" />
        </Form.Item>
        <Form.Item name="subject" label={t('consultations.field.subject')} rules={[{ required: true, whitespace: true, max: 80 }]}>
          <Input maxLength={80} data-testid="new-subject" />
        </Form.Item>
        <Form.Item name="body" label={t('consultations.field.body')} rules={[{ required: true, whitespace: true, max: 4000 }]}>
          <Input.TextArea rows={4} maxLength={4000} data-testid="new-body" />
        </Form.Item>
        {residentId && (
          <Form.Item label={t('consultations.field.photos')}>
            <PhotoPicker residentId={residentId} value={photos} onChange={setPhotos} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="new-submit">
          {t('consultations.create')}
        </Button>
      </Form>
    </Drawer>
  );
}
