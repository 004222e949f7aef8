import { useEffect, useState } from 'react';
import { Alert, App, AutoComplete, Button, DatePicker, Drawer, Form, Input, Radio, Select, Space } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { applyFieldErrors } from '../../../components/errors';
import { shanghaiDay } from '../../../components/format';
import { useIsMobile } from '../../../components/useIsMobile';
import { CONSENT_METHODS, CONSENT_PURPOSES, type ConsentMethod, type ConsentPurpose } from '../../../../../server/src/db/tables';
import { ageOn } from '../../../../../server/src/lib/identity';
import { GUARDIAN_AGE } from '../../../../../server/src/modules/consents/rules';
import type { CreateConsentInput } from '../../../../../server/src/modules/consents/schema';
import { dayInstant, useConsentsChanged, useWitnesses, type ConsentStatusView, type ConsentView, type ResidentDetailView } from './api';
import { ScanUpload } from './ScanUpload';

const DAY = 'YYYY-MM-DD';
/** DatePicker over a `YYYY-MM-DD` string, so the form stays plain values. */
const dateProps = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v, DAY) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format(DAY) : undefined),
};

interface Values {
  purpose?: ConsentPurpose;
  givenBy: 'self' | 'guardian';
  /** A registered guardian's id, or '' for someone typed in. */
  guardianResidentId?: string;
  guardianName?: string;
  guardianRelation?: string;
  method: ConsentMethod;
  documentId?: string;
  witnessUserIds?: string[];
  givenOn?: string;
  expiresOn?: string;
}

const RELATIONS = ['父亲', '母亲', '祖父', '祖母', '外祖父', '外祖母', '兄姐', '其他亲属', '村（居）委会指定监护人'];

function underGuardianAge(birthDate: string, day: string | undefined): boolean {
  if (!day) return false;
  try {
    return ageOn(birthDate, dayInstant(day)) < GUARDIAN_AGE;
  } catch {
    return false;
  }
}

/** The request body from the form: only the fields the chosen options use. */
export function consentBody(v: Values): CreateConsentInput {
  const guardian = v.givenBy === 'guardian';
  return {
    purpose: v.purpose!,
    givenBy: v.givenBy,
    ...(guardian
      ? {
          guardianResidentId: v.guardianResidentId || null,
          guardianName: v.guardianName?.trim() || null,
          guardianRelation: v.guardianRelation?.trim() || null,
        }
      : {}),
    method: v.method,
    ...(v.documentId ? { documentId: v.documentId } : {}),
    ...(v.method === 'in_person_witnessed' ? { witnessUserIds: v.witnessUserIds ?? [] } : {}),
    givenOn: v.givenOn!,
    expiresOn: v.expiresOn ?? null,
  };
}

interface Props {
  open: boolean;
  onClose: () => void;
  resident: ResidentDetailView;
  status: ConsentStatusView | undefined;
  /** Pre-selected purpose (from a status row's button). */
  purpose?: ConsentPurpose;
}

/** 登记同意: purpose, who gave it, how, and when. Under 14 only a guardian may. */
export function ConsentDrawer({ open, onClose, resident, status, purpose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const changed = useConsentsChanged(resident.id);
  const today = shanghaiDay(new Date());

  const v = Form.useWatch([], form) as Partial<Values> | undefined;
  const givenBy = v?.givenBy ?? 'self';
  const method = v?.method ?? 'paper_signed';
  const chosen = v?.purpose;
  const under14 = underGuardianAge(resident.birthDate, v?.givenOn ?? today);
  const witnesses = useWitnesses(resident.id, open && method === 'in_person_witnessed');
  const chosenStatus = status?.purposes.find((p) => p.purpose === chosen);

  // PIPL Art. 31: under 14 the person cannot consent for themselves. (Watched values arrive once
  // the drawer's form has mounted, so this also runs on the first open.)
  const watchedGivenBy = v?.givenBy;
  useEffect(() => {
    if (open && under14 && watchedGivenBy === 'self') form.setFieldValue('givenBy', 'guardian');
  }, [open, under14, watchedGivenBy, form]);

  // The guardian on the record is the usual one: fill them in when switching to a guardian.
  useEffect(() => {
    if (!open || givenBy !== 'guardian' || !resident.guardian) return;
    if (form.getFieldValue('guardianResidentId') === undefined) {
      form.setFieldsValue({ guardianResidentId: resident.guardian.id, guardianName: resident.guardian.name });
    }
  }, [open, givenBy, resident.guardian, form]);

  const save = useMutation({
    mutationFn: (values: Values) => apiPost<{ consent: ConsentView }>(`/api/residents/${resident.id}/consents`, consentBody(values)),
    onSuccess: () => {
      void message.success(t('consents.form.saved'));
      setError(null);
      changed();
      onClose();
    },
    onError: (e) => {
      setError(e);
      applyFieldErrors(form, e);
    },
  });

  const registeredGuardian = resident.guardian;
  const usingRegistered = !!registeredGuardian && v?.guardianResidentId === registeredGuardian.id;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('consents.form.title')}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      data-testid="consent-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('consents.form.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="consent-save">
            {t('consents.form.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={error} testId="consent-form-error" />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ purpose, givenBy: 'self', method: 'paper_signed', givenOn: today }}
        onFinish={(values) => save.mutate(values)}
        scrollToFirstError
      >
        <Form.Item
          name="purpose"
          label={t('consents.field.purpose')}
          rules={[{ required: true, message: t('consents.form.required') }]}
          extra={chosen ? t(`consents.purposeHint.${chosen}`) : undefined}
        >
          <Select
            data-testid="consent-purpose"
            options={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`consents.purpose.${p}`) }))}
          />
        </Form.Item>
        {chosenStatus && (chosenStatus.state === 'given' || chosenStatus.state === 'expired') && (
          <Alert type="info" showIcon title={t('consents.form.replaceHint')} style={{ marginBottom: 16 }} />
        )}

        <Form.Item
          name="givenOn"
          label={t('consents.field.givenOn')}
          {...dateProps}
          rules={[
            { required: true, message: t('consents.form.required') },
            { validator: async (_r, d: string | undefined) => { if (d && d > today) throw new Error(t('consents.form.futureDate')); } },
          ]}
        >
          <DatePicker style={{ width: '100%' }} format={DAY} inputReadOnly minDate={dayjs(resident.birthDate)} maxDate={dayjs(today)} data-testid="consent-given-on" />
        </Form.Item>

        <Form.Item name="givenBy" label={t('consents.field.givenBy')} rules={[{ required: true, message: t('consents.form.required') }]}>
          <Radio.Group
            optionType="button"
            data-testid="consent-given-by"
            options={[
              { value: 'self', label: t('consents.givenBy.self'), disabled: under14 },
              { value: 'guardian', label: t('consents.givenBy.guardian') },
            ]}
          />
        </Form.Item>
        {under14 && <Alert type="warning" showIcon title={t('consents.form.under14')} style={{ marginBottom: 16 }} data-testid="consent-under14" />}

        {givenBy === 'guardian' && (
          <>
            {registeredGuardian && (
              <Form.Item name="guardianResidentId" label={t('consents.field.guardianResident')}>
                <Select
                  data-testid="consent-guardian-resident"
                  onChange={(id: string) => form.setFieldValue('guardianName', id ? registeredGuardian.name : '')}
                  options={[
                    { value: registeredGuardian.id, label: t('consents.form.registeredGuardian', { name: registeredGuardian.name }) },
                    { value: '', label: t('consents.form.otherGuardian') },
                  ]}
                />
              </Form.Item>
            )}
            <Form.Item
              name="guardianName"
              label={t('consents.field.guardianName')}
              rules={[{ required: true, whitespace: true, message: t('consents.form.required') }]}
            >
              <Input maxLength={50} disabled={usingRegistered} data-testid="consent-guardian-name" />
            </Form.Item>
            <Form.Item
              name="guardianRelation"
              label={t('consents.field.guardianRelation')}
              rules={[{ required: true, whitespace: true, message: t('consents.form.required') }]}
            >
              <AutoComplete
                options={RELATIONS.map((r) => ({ value: r }))}
                placeholder={t('consents.form.relationPlaceholder')}
                maxLength={30}
                data-testid="consent-guardian-relation"
              />
            </Form.Item>
          </>
        )}

        <Form.Item
          name="method"
          label={t('consents.field.method')}
          rules={[{ required: true, message: t('consents.form.required') }]}
          extra={t(`consents.methodHint.${method}`)}
        >
          <Radio.Group
            data-testid="consent-method"
            className="xq-consent-methods"
            options={CONSENT_METHODS.map((m) => ({ value: m, label: t(`consents.method.${m}`) }))}
          />
        </Form.Item>

        {method === 'paper_signed' && (
          <Form.Item
            name="documentId"
            label={t('consents.field.scan')}
            extra={t('consents.form.uploadHint')}
            rules={[{ required: true, message: t('consents.form.scanRequired') }]}
          >
            <ScanUpload residentId={resident.id} />
          </Form.Item>
        )}

        {method === 'in_person_witnessed' && (
          <Form.Item
            name="witnessUserIds"
            label={t('consents.field.witnesses')}
            rules={[
              { validator: async (_r, ids: string[] | undefined) => { if (!ids || new Set(ids).size !== 2) throw new Error(t('consents.form.twoWitnesses')); } },
            ]}
          >
            <Select
              mode="multiple"
              maxCount={2}
              loading={witnesses.isPending}
              placeholder={t('consents.form.witnessesPlaceholder')}
              options={(witnesses.data ?? []).map((w) => ({ value: w.id, label: w.displayName }))}
              optionFilterProp="label"
              data-testid="consent-witnesses"
            />
          </Form.Item>
        )}

        <Form.Item
          name="expiresOn"
          label={t('consents.field.expiresOn')}
          extra={t('consents.form.expiresHint')}
          {...dateProps}
          dependencies={['givenOn']}
          rules={[
            {
              validator: async (_r, d: string | undefined) => {
                const from = form.getFieldValue('givenOn') as string | undefined;
                if (d && (d <= today || (from && d <= from))) throw new Error(t('consents.form.expiresAfter'));
              },
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} format={DAY} inputReadOnly minDate={dayjs(today).add(1, 'day')} data-testid="consent-expires-on" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
