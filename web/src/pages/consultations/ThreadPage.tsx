import { useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, ExportOutlined, GlobalOutlined, SendOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyFieldErrors } from '../../components/errors';
import { formatDateTime } from '../../components/format';
import { Time } from '../../components/Time';
import { isStaffUser } from '../appointments/AppointmentsPage';
import { AREAS, postAction, useRefresh, useThread, type FaqEntry, type Thread } from './api';
import { DueText, PhotoPicker, StatusTag, Thumbs } from './bits';
import { deidentify } from './deidentify';

/** One consultation: the conversation as chat bubbles, a reply box, and the staff's actions. */
export function ThreadPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const user = useUser();
  const staff = isStaffUser(user);
  const thread = useThread(id);
  const c = thread.data;

  return (
    <div className={staff ? 'xq-page xq-cons-thread' : 'xq-page xq-resident-page xq-cons-thread'} data-testid="consultation-thread">
      <Link to="/consultations" className="xq-cons-back">
        <ArrowLeftOutlined /> {staff ? t('consultations.title') : t('consultations.mineTitle')}
      </Link>
      <ErrorAlert error={thread.error} />
      {!c ? (
        thread.isPending && <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <header className="xq-cons-head">
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="thread-subject">
              {c.subject}
            </Typography.Title>
            <Space wrap size={[8, 4]}>
              <StatusTag status={c.status} />
              <Tag>{t(`services.area.${c.area}`)}</Tag>
              {staff && <DueText c={c} />}
              {c.firstResponseAt && (
                <span className="xq-muted xq-small">
                  {t('consultations.answeredAt', { time: formatDateTime(c.firstResponseAt, i18n.language) })}
                </span>
              )}
            </Space>
            {staff && (
              <div className="xq-cons-facts">
                <span>
                  {t('consultations.field.resident')}：<Link to={`/residents/${c.resident.id}`}>{c.resident.name}</Link>
                </span>
                <span>
                  {t('consultations.field.channel')}：{t(`consultations.channel.${c.channel}`)}
                </span>
                <span data-testid="thread-assignee">
                  {t('consultations.field.assignee')}：{c.assignee?.name ?? t('consultations.unassigned')}
                </span>
              </div>
            )}
          </header>
          {staff && <StaffActions c={c} userId={user.id} />}
          <Messages c={c} userId={user.id} staffView={staff} />
          {c.status === 'closed' ? (
            <Alert type="info" showIcon title={c.resolution ? `${t('consultations.resolution')}：${c.resolution}` : t('consultations.closed')} description={staff ? undefined : t('consultations.closedNotice')} data-testid="thread-closed" />
          ) : (
            <ReplyBox c={c} staff={staff} />
          )}
          {staff && c.faqEntries.length > 0 && <FaqOfThread entries={c.faqEntries} />}
        </>
      )}
    </div>
  );
}

function Messages({ c, userId, staffView }: { c: Thread; userId: string; staffView: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="xq-cons-messages" aria-label={t('consultations.thread')} data-testid="messages">
      {c.messages.map((m) => {
        // My side sits on the right: staff for the staff view, the resident for the resident view.
        const mine = staffView ? m.authorSide === 'staff' : m.authorSide === 'resident';
        return (
          <div key={m.id} className={`xq-cons-bubble-row ${mine ? 'mine' : 'theirs'}`} data-testid="message" data-side={m.authorSide}>
            <div className={`xq-cons-bubble ${m.authorSide}`}>
              <div className="xq-cons-author">
                {m.authorSide === 'staff' && !staffView ? `${t('consultations.staffSide')} · ${m.author.name}` : m.author.id === userId ? '' : m.author.name}
                <Time value={m.createdAt} relative />
              </div>
              <div className="xq-cons-body">{m.body}</div>
              <Thumbs ids={m.photoIds} />
            </div>
          </div>
        );
      })}
    </section>
  );
}

function ReplyBox({ c, staff }: { c: Thread; staff: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  async function send() {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const r = await postAction<{ consultation: Thread }>(`/api/consultations/${c.id}/messages`, { body: text.trim(), photoIds: photos }, key.current);
      refresh(r.consultation);
      setText('');
      setPhotos([]);
      key.current = newIdempotencyKey();
      message.success(t('consultations.sent'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="xq-cons-reply" data-testid="reply-box">
      <ErrorAlert error={error} />
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={4000}
        placeholder={staff ? t('consultations.replyPlaceholder') : t('consultations.followUpPlaceholder')}
        aria-label={t('consultations.reply')}
        data-testid="reply-text"
      />
      <div className="xq-cons-reply-bar">
        <PhotoPicker residentId={c.resident.id} value={photos} onChange={setPhotos} big={!staff} />
        <Button type="primary" size={staff ? 'middle' : 'large'} icon={<SendOutlined />} loading={busy} disabled={!text.trim()} onClick={() => void send()} data-testid="reply-send">
          {t('consultations.send')}
        </Button>
      </div>
    </section>
  );
}

type Dialog = 'close' | 'convert' | 'faq' | null;

function StaffActions({ c, userId }: { c: Thread; userId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [dialog, setDialog] = useState<Dialog>(null);
  const open = c.status !== 'closed';

  async function assignToMe() {
    try {
      const r = await postAction<{ consultation: Thread }>(`/api/consultations/${c.id}/assign`, { version: c.version, assigneeId: userId });
      refresh(r.consultation);
      message.success(t('consultations.assigned'));
    } catch (e) {
      message.error((e as Error).message || t('errors.unknown_error'));
      refresh();
    }
  }

  return (
    <>
      <Space wrap className="xq-cons-actions" data-testid="thread-actions">
        {open && c.assignee?.id !== userId && (
          <Button icon={<UserAddOutlined />} onClick={() => void assignToMe()} data-testid="thread-assign-me">
            {t('consultations.assignToMe')}
          </Button>
        )}
        {open && (
          <Button icon={<CheckOutlined />} onClick={() => setDialog('close')} data-testid="thread-close">
            {t('consultations.close')}
          </Button>
        )}
        {c.requestId ? (
          <Tag color="purple" data-testid="thread-converted">
            {t('consultations.converted')}
          </Tag>
        ) : (
          <Button icon={<ExportOutlined />} onClick={() => setDialog('convert')} data-testid="thread-convert">
            {t('consultations.convert')}
          </Button>
        )}
        <Button icon={<GlobalOutlined />} onClick={() => setDialog('faq')} data-testid="thread-publish">
          {t('consultations.publish')}
        </Button>
      </Space>
      <ActionDialog c={c} dialog={dialog} onDone={() => setDialog(null)} />
    </>
  );
}

function ActionDialog({ c, dialog, onDone }: { c: Thread; dialog: Dialog; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!dialog) return null;

  const firstQuestion = c.messages.find((m) => m.authorSide === 'resident')?.body ?? c.subject;
  const lastAnswer = [...c.messages].reverse().find((m) => m.authorSide === 'staff')?.body ?? '';
  const initial =
    dialog === 'close'
      ? { resolution: '' }
      : dialog === 'convert'
        ? { title: c.subject, area: c.area, urgency: 'normal', description: firstQuestion }
        : { question: deidentify(firstQuestion, c.resident.name), answer: deidentify(lastAnswer, c.resident.name) };
  const title = dialog === 'close' ? t('consultations.closeTitle') : dialog === 'convert' ? t('consultations.convertTitle') : t('consultations.publishTitle');

  async function submit(values: Record<string, string>) {
    setBusy(true);
    setError(null);
    try {
      if (dialog === 'faq') {
        await postAction<{ faqEntry: FaqEntry }>(`/api/consultations/${c.id}/faq`, values);
        refresh();
        message.success(t('consultations.published'));
      } else {
        const r = await postAction<{ consultation: Thread }>(`/api/consultations/${c.id}/${dialog}`, { ...values, version: c.version });
        refresh(r.consultation);
        message.success(dialog === 'close' ? t('consultations.closed') : t('consultations.converted'));
      }
      onDone();
    } catch (e) {
      if (!applyFieldErrors(form, e)) setError(e);
      if ((e as { status?: number }).status === 409) refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={title} onCancel={onDone} onOk={() => form.submit()} okButtonProps={{ loading: busy, ...({ 'data-testid': 'dialog-ok' } as Record<string, string>) }} destroyOnHidden data-testid={`dialog-${dialog}`}>
      <ErrorAlert error={error} />
      {dialog === 'faq' && <Alert type="warning" showIcon title={t('consultations.publishHint')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v as Record<string, string>)}>
        {dialog === 'close' && (
          <Form.Item name="resolution" label={t('consultations.resolution')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
            <Input.TextArea rows={3} placeholder={t('consultations.resolutionPlaceholder')} data-testid="close-resolution" />
          </Form.Item>
        )}
        {dialog === 'convert' && (
          <>
            <Form.Item name="title" label={t('consultations.requestTitle')} rules={[{ required: true, whitespace: true, max: 80 }]}>
              <Input maxLength={80} data-testid="convert-title" />
            </Form.Item>
            <Form.Item name="area" label={t('consultations.field.area')} rules={[{ required: true }]}>
              <Select options={AREAS.map((a) => ({ value: a, label: t(`services.area.${a}`) }))} />
            </Form.Item>
            <Form.Item name="urgency" label={t('consultations.urgency')} rules={[{ required: true }]}>
              <Select options={(['low', 'normal', 'high', 'urgent'] as const).map((u) => ({ value: u, label: t(`consultations.urgencyValue.${u}`) }))} />
            </Form.Item>
            <Form.Item name="description" label={t('consultations.description')} rules={[{ required: true, whitespace: true, max: 4000 }]}>
              <Input.TextArea rows={4} />
            </Form.Item>
          </>
        )}
        {dialog === 'faq' && (
          <>
            <Form.Item name="question" label={t('consultations.question')} rules={[{ required: true, whitespace: true, max: 500 }]}>
              <Input.TextArea rows={3} data-testid="faq-question" />
            </Form.Item>
            <Form.Item name="answer" label={t('consultations.answer')} rules={[{ required: true, whitespace: true, max: 4000 }]}>
              <Input.TextArea rows={5} data-testid="faq-answer" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

function FaqOfThread({ entries }: { entries: FaqEntry[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  async function withdraw(id: string) {
    try {
      await postAction(`/api/faq-entries/${id}/withdraw`, {});
      refresh();
      message.success(t('consultations.withdrawn'));
    } catch (e) {
      message.error((e as Error).message || t('errors.unknown_error'));
    }
  }
  return (
    <section className="xq-cons-faqs" data-testid="thread-faqs">
      <Typography.Title level={5}>{t('consultations.faqOfThread')}</Typography.Title>
      {entries.map((f) => (
        <div key={f.id} className="xq-cons-faq">
          <div>
            <strong>{f.question}</strong>
          </div>
          <div className="xq-cons-faq-answer">{f.answer}</div>
          <Space>
            {f.status === 'published' ? <Tag color="green">{t('consultations.published')}</Tag> : <Tag>{t('consultations.withdrawn')}</Tag>}
            {f.status === 'published' && (
              <Button size="small" danger onClick={() => void withdraw(f.id)} data-testid="faq-withdraw">
                {t('consultations.withdraw')}
              </Button>
            )}
          </Space>
        </div>
      ))}
    </section>
  );
}
