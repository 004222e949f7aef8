import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Form, List, Modal, Skeleton, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, apiPatch, isApiError, newIdempotencyKey } from '../../api/client';
import { useUser } from '../../app/auth';
import { useCurrentStation } from '../../app/station';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import type { DuplicateMatch, Household, ResidentDetailView } from './components/api';
import { householdKey, residentKey, useHousehold, useResident, useVillages } from './components/api';
import { formatDay } from './components/dates';
import { draftOf, emptyValues, fillFromId, mapServerFields, NEW_HOUSEHOLD, toCreateBody, toPatchBody, valuesFromResident } from './components/formModel';
import type { ResidentFormValues } from './components/formModel';
import { ResidentFormFields } from './components/ResidentFormFields';
import { useDraft } from './components/useDraft';
import { ResidentNotFound } from './ResidentDetailPage';
import { parseDisabilityCertificate } from '../../../../server/src/lib/identity';
import './components/residents.css';

/** /residents/new and /residents/:id/edit. */
export function ResidentFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const q = useResident(id);
  const household = useHousehold(q.data?.householdId);
  if (!id) return <ResidentForm resident={null} />;
  if (q.isPending) {
    return (
      <div className="xq-page xq-res-form" data-testid="resident-form-loading">
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      </div>
    );
  }
  if (q.error) {
    if (isApiError(q.error) && q.error.status === 404) return <ResidentNotFound />;
    return <ErrorAlert error={q.error} />;
  }
  // The form is keyed by version: "open again" after a conflict starts from the fresh record.
  return <ResidentForm key={q.data.version} resident={q.data} householdLabel={householdLabel(household.data, t)} />;
}

function householdLabel(h: Household | undefined, t: TFunction): string | undefined {
  if (!h) return undefined;
  const name = h.head?.name ?? h.members[0]?.name;
  return name ? t('residents.form.householdOf', { name, village: h.villageName }) : h.villageName;
}

type Saved = { resident: ResidentDetailView };

function ResidentForm({ resident, householdLabel }: { resident: ResidentDetailView | null; householdLabel?: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const user = useUser();
  const station = useCurrentStation(user);
  const villages = useVillages(resident?.stationId ?? station?.id);
  const [form] = Form.useForm<ResidentFormValues>();
  const draft = useDraft<Partial<ResidentFormValues>>(`xq.residentDraft.${user.id}.${resident?.id ?? 'new'}`);
  const [draftOffer, setDraftOffer] = useState(draft.initial);
  const [idFilled, setIdFilled] = useState(false);
  const [certAdded, setCertAdded] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateMatch[] | null>(null);
  const [elsewhere, setElsewhere] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [typed, setTyped] = useState(false);
  const createdHousehold = useRef<string | null>(null);
  // One Idempotency-Key per distinct request: a retry of the same body (lost answer, double tap)
  // registers nobody twice, while a corrected form is a new request.
  const keys = useRef(new Map<string, string>());
  const post = <T,>(path: string, body: object) => {
    const id = `${path} ${JSON.stringify(body)}`;
    let key = keys.current.get(id);
    if (!key) keys.current.set(id, (key = newIdempotencyKey()));
    return api<T>(path, { method: 'POST', body, idempotencyKey: key });
  };

  // Only the first render's values matter to antd; the village default is filled in when the list arrives.
  const [initialValues] = useState(() => (resident ? valuesFromResident(resident) : emptyValues()));
  const villageList = villages.data;
  useEffect(() => {
    if (!resident && villageList?.length === 1 && !form.getFieldValue('villageId')) form.setFieldsValue({ villageId: villageList[0]!.id });
  }, [resident, villageList, form]);

  const save = useMutation({
    mutationFn: async ({ values, confirmDuplicate }: { values: ResidentFormValues; confirmDuplicate: boolean }) => {
      if (values.household === NEW_HOUSEHOLD && !createdHousehold.current) {
        const h = await post<{ household: Household }>('/api/households', { villageId: values.villageId, address: values.address?.trim() || null });
        createdHousehold.current = h.household.id;
      }
      const extra = confirmDuplicate ? { confirmDuplicate: true } : {};
      if (resident) {
        return apiPatch<Saved>(`/api/residents/${resident.id}`, { ...toPatchBody(values, resident, createdHousehold.current), ...extra });
      }
      return post<Saved>('/api/residents', { ...toCreateBody(values, createdHousehold.current), ...extra });
    },
    onSuccess: ({ resident: saved }) => {
      draft.clear();
      queryClient.setQueryData(residentKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: ['residents'] });
      void queryClient.invalidateQueries({ queryKey: ['resident-timeline', saved.id] });
      if (saved.householdId) void queryClient.invalidateQueries({ queryKey: householdKey(saved.householdId) });
      void message.success(resident ? t('residents.form.updated') : t('residents.form.created'));
      navigate(`/residents/${saved.id}`, { replace: true });
    },
    onError: (err) => {
      if (!isApiError(err)) return;
      if (err.id === 'possible_duplicate' && Array.isArray(err.details.matches)) {
        setDuplicates(err.details.matches as DuplicateMatch[]);
        return;
      }
      if (err.id === 'version_conflict') {
        setConflict(true);
        return;
      }
      const { onForm, elsewhere: rest } = mapServerFields(err.fields, form.getFieldValue('idMode') ?? 'id');
      if (onForm.length > 0) {
        form.setFields(onForm as Parameters<typeof form.setFields>[0]);
        form.scrollToField(onForm[0]!.name as Parameters<typeof form.scrollToField>[0], { block: 'center' });
      }
      setElsewhere(rest);
    },
  });

  const submit = (values: ResidentFormValues, confirmDuplicate = false) => {
    setElsewhere([]);
    save.mutate({ values: { ...form.getFieldsValue(true), ...values }, confirmDuplicate });
  };

  const onValuesChange = (changed: Partial<ResidentFormValues>, all: ResidentFormValues) => {
    if ('idNumber' in changed) {
      const patch = fillFromId(all);
      if (Object.keys(patch).length > 0) {
        form.setFieldsValue(patch);
        setIdFilled(true);
      }
    }
    if ('disabilityCertificate' in changed && changed.disabilityCertificate) {
      const r = parseDisabilityCertificate(changed.disabilityCertificate);
      const cats = all.categories ?? [];
      if (r.ok && !cats.includes('disabled')) {
        form.setFieldsValue({ categories: [...cats, 'disabled'] });
        setCertAdded(true);
      }
    }
    if ('household' in changed && changed.household === NEW_HOUSEHOLD && !all.relationToHead) {
      form.setFieldsValue({ relationToHead: 'head' });
    }
    draft.save(draftOf({ ...all, ...form.getFieldsValue(true) }));
    setTyped(true);
  };

  // Errors with field messages are shown at the fields; duplicates and conflicts have their own UI.
  const handled = isApiError(save.error) && (['possible_duplicate', 'version_conflict'].includes(save.error.id) || Object.keys(save.error.fields).length > 0);
  const serverError = save.error && !handled ? save.error : null;

  return (
    <div className="xq-page xq-res-form" data-testid="resident-form-page">
      <PageHeader
        title={resident ? t('residents.form.editTitle', { name: resident.name }) : t('residents.form.createTitle')}
        extra={
          <Link to={resident ? `/residents/${resident.id}` : '/residents'} className="xq-muted">
            {t('residents.cancel')}
          </Link>
        }
      />
      {draftOffer && (
        <Alert
          type="info"
          showIcon
          data-testid="resident-draft"
          style={{ marginBottom: 16 }}
          title={t('residents.form.draftFound', { time: formatDateTime(draftOffer.savedAt, i18n.language) })}
          description={t('residents.form.draftNote')}
          action={
            <Space wrap>
              <Button
                size="small"
                type="primary"
                data-testid="resident-draft-restore"
                onClick={() => {
                  form.setFieldsValue(draftOffer.values);
                  setDraftOffer(null);
                }}
              >
                {t('residents.form.draftRestore')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  draft.clear();
                  setDraftOffer(null);
                }}
              >
                {t('residents.form.draftDiscard')}
              </Button>
            </Space>
          }
        />
      )}
      {resident?.anonymised ? (
        <Alert type="warning" showIcon title={t('residents.form.notEditable')} description={t('residents.anonymisedHint')} />
      ) : (
        <Form<ResidentFormValues>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onValuesChange={onValuesChange}
          onFinish={(v) => submit(v)}
          scrollToFirstError={{ block: 'center' }}
          data-testid="resident-form"
          requiredMark
        >
          {conflict && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="resident-conflict"
              title={t('residents.form.versionConflict')}
              action={
                <Button size="small" onClick={() => void queryClient.invalidateQueries({ queryKey: residentKey(resident?.id ?? '') })}>
                  {t('residents.form.reload')}
                </Button>
              }
            />
          )}
          <ErrorAlert error={serverError} />
          {elsewhere.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={elsewhere.join('；')} />}
          <ResidentFormFields
            form={form}
            resident={resident}
            villages={villages.data ?? []}
            villagesLoading={villages.isPending}
            idFilled={idFilled}
            certificateAddedCategory={certAdded}
            householdLabel={householdLabel}
          />
          <div className="xq-res-form-actions xq-res-form-actions-bg">
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="resident-save">
              {t('residents.save')}
            </Button>
            <Button onClick={() => navigate(resident ? `/residents/${resident.id}` : '/residents')}>{t('residents.cancel')}</Button>
            {typed && (
              <Typography.Text type="secondary" className="xq-small" data-testid="resident-draft-saved">
                {t('residents.form.draftSaved')}
              </Typography.Text>
            )}
          </div>
        </Form>
      )}
      <Modal
        open={duplicates !== null}
        title={t('residents.form.duplicateTitle')}
        onCancel={() => setDuplicates(null)}
        cancelText={t('residents.cancel')}
        okText={t('residents.form.duplicateConfirm')}
        okButtonProps={{ 'data-testid': 'resident-duplicate-confirm' }}
        onOk={() => {
          setDuplicates(null);
          submit(form.getFieldsValue(true), true);
        }}
      >
        <Typography.Paragraph>{t('residents.form.duplicateText')}</Typography.Paragraph>
        <List
          size="small"
          bordered
          data-testid="resident-duplicates"
          dataSource={duplicates ?? []}
          renderItem={(m) => (
            <List.Item
              actions={[
                <Link key="open" to={`/residents/${m.id}`} target="_blank" rel="noopener">
                  {t('residents.form.duplicateOpen')}
                </Link>,
              ]}
            >
              {m.name} · {formatDay(m.birthDate, i18n.language)} · {m.villageName}
            </List.Item>
          )}
        />
      </Modal>
    </div>
  );
}
