import { useState } from 'react';
import { Button, Card, Empty, Skeleton, Typography } from 'antd';
import { FileProtectOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCursorList } from '../../../api/useCursorList';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LoadMore } from '../../../components/LoadMore';
import { Time } from '../../../components/Time';
import { consentListKey, formatDay, scanUrl, useConsentStatus, useResidentDetail, type ConsentView } from './api';
import { PurposeStateTags, recordState, RecordStateTag } from './bits';
import { ConsentDrawer } from './ConsentDrawer';
import { WithdrawModal } from './WithdrawModal';
import './consents.css';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="xq-card-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ConsentCard({ c, today, onWithdraw }: { c: ConsentView; today: string; onWithdraw: (c: ConsentView) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const state = recordState(c, today);
  return (
    <Card size="small" className="xq-consent-card" data-testid="consent-item" data-purpose={c.purpose} data-state={state}>
      <div className="xq-consent-card-head">
        <span className="xq-consent-card-title">{t(`consents.purpose.${c.purpose}`)}</span>
        <RecordStateTag state={state} />
        {!c.withdrawnAt && (
          <Button size="small" danger className="xq-consent-card-action" onClick={() => onWithdraw(c)} data-testid="consent-withdraw">
            {t('consents.withdraw.action')}
          </Button>
        )}
      </div>
      <dl className="xq-card-fields">
        <Field label={t('consents.field.givenBy')}>
          {c.givenBy === 'self'
            ? t('consents.givenBy.self')
            : t('consents.item.guardianLine', { name: c.guardianName ?? '', relation: c.guardianRelation ?? '' })}
        </Field>
        <Field label={t('consents.field.method')}>
          <span className="xq-consent-method">
            <span>{t(`consents.method.${c.method}`)}</span>
            {c.document && (
              <Typography.Link href={scanUrl(c.document.id)} target="_blank" rel="noopener" data-testid="consent-scan-link">
                <FileProtectOutlined aria-hidden /> {t('consents.item.viewScan')}
              </Typography.Link>
            )}
          </span>
          {c.witnesses.length > 0 && (
            <div className="xq-muted">{t('consents.item.witnessedBy', { names: c.witnesses.map((w) => w.displayName).join('、') })}</div>
          )}
        </Field>
        <Field label={t('consents.field.givenOn')}>
          {formatDay(c.givenOn, lang)}
          {' · '}
          {c.expiresOn ? t('consents.expiresOn', { date: formatDay(c.expiresOn, lang) }) : t('consents.noExpiry')}
        </Field>
        <Field label={t('consents.field.recordedBy')}>
          {c.recordedBy?.displayName ?? '—'} · <Time value={c.createdAt} />
        </Field>
        {c.withdrawnAt && state !== 'renewed' && (
          <Field label={t('consents.state.withdrawn')}>
            <div>
              {c.withdrawnBy?.displayName ?? '—'} · <Time value={c.withdrawnAt} />
            </div>
            {c.withdrawnReason && <div className="xq-break">{t('consents.item.reason', { reason: c.withdrawnReason })}</div>}
          </Field>
        )}
      </dl>
    </Card>
  );
}

/** 知情同意 tab of a resident: state per purpose, the history, record and withdraw. */
export function ConsentsTab({ residentId }: { residentId: string; stationId: string }) {
  const { t, i18n } = useTranslation();
  const resident = useResidentDetail(residentId);
  const status = useConsentStatus(residentId);
  const list = useCursorList<ConsentView>(consentListKey(residentId), `/api/residents/${residentId}/consents`, {});
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [withdrawing, setWithdrawing] = useState<ConsentView | null>(null);
  const anonymised = resident.data?.anonymised ?? false;
  const today = status.data?.today ?? '';

  return (
    <div className="xq-consents" data-testid="consents-tab">
      <div className="xq-consents-bar">
        <Typography.Text type="secondary" data-testid="consent-basis">
          {status.data ? t('consents.basisLine', { basis: t(`consents.lawfulBasis.${status.data.lawfulBasis}`) }) : ' '}
        </Typography.Text>
        <div className="xq-consents-actions">
          <Link to={`/residents/${residentId}/consent-form`} data-testid="consent-print-link">
            <Button icon={<PrinterOutlined />}>{t('consents.print')}</Button>
          </Link>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={!resident.data || anonymised}
            title={anonymised ? t('consents.anonymised') : undefined}
            onClick={() => setDrawerOpen(true)}
            data-testid="consent-record"
          >
            {t('consents.record')}
          </Button>
        </div>
      </div>

      <ErrorAlert error={status.error} />
      <Card size="small" title={t('consents.statusTitle')} className="xq-consent-status" data-testid="consent-status">
        {status.isPending ? (
          <Skeleton active paragraph={{ rows: 4 }} title={false} />
        ) : (
          <ul className="xq-consent-status-list">
            {(status.data?.purposes ?? []).map((s) => (
              <li key={s.purpose} data-testid="consent-status-row" data-purpose={s.purpose} data-state={s.state} data-allowed={String(s.allowed)}>
                <div className="xq-consent-status-main">
                  <div className="xq-consent-status-name">{t(`consents.purpose.${s.purpose}`)}</div>
                  <div className="xq-muted xq-small">
                    {!s.required ? t('consents.notRequiredHint') : !s.allowed ? t('consents.blockedHint') : t(`consents.purposeHint.${s.purpose}`)}
                  </div>
                </div>
                <div className="xq-consent-status-state">
                  <PurposeStateTags s={s} />
                  {s.state === 'given' && (
                    <span className="xq-muted xq-small">
                      {s.expiresOn ? t('consents.expiresOn', { date: formatDay(s.expiresOn, i18n.language) }) : t('consents.noExpiry')}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Typography.Title level={5} className="xq-consent-history-title">
        {t('consents.historyTitle')}
      </Typography.Title>
      <ErrorAlert error={list.error} />
      {list.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : list.items.length === 0 ? (
        <Empty description={t('consents.historyEmpty')} data-testid="consent-empty" />
      ) : (
        <div className="xq-cards" data-testid="consent-list">
          {list.items.map((c) => (
            <ConsentCard key={c.id} c={c} today={today} onWithdraw={setWithdrawing} />
          ))}
        </div>
      )}
      <LoadMore count={list.items.length} hasMore={list.hasMore} loading={list.loadingMore} onMore={list.loadMore} />

      {resident.data && <ConsentDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} resident={resident.data} status={status.data} />}
      <WithdrawModal residentId={residentId} target={withdrawing} onClose={() => setWithdrawing(null)} />
    </div>
  );
}
