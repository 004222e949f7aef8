import type { TFunction } from 'i18next';
import {
  CATEGORIES,
  LAWFUL_BASES,
  PHONE_RELATIONS,
  RELATIONS_TO_HEAD,
  RESIDENT_STATUSES,
  RISK_TIERS,
} from '../../../../../server/src/db/tables';
import type {
  Category,
  LawfulBasis,
  PhoneRelation,
  RelationToHead,
  ResidentStatus,
  RiskTier,
} from '../../../../../server/src/db/tables';

// One truth for the fixed lists: the server's own definitions (labels live in i18n `residents.*`).
export { CATEGORIES, LAWFUL_BASES, PHONE_RELATIONS, RELATIONS_TO_HEAD, RESIDENT_STATUSES, RISK_TIERS };
export type { Category, LawfulBasis, PhoneRelation, RelationToHead, ResidentStatus, RiskTier };
export type Gender = 'male' | 'female';
export const GENDERS: readonly Gender[] = ['male', 'female'];

/** Categories whose children need no guardian on record (there is none to name). */
export const NO_GUARDIAN_CATEGORIES: readonly Category[] = ['orphan', 'de_facto_orphan'];

export const categoryOptions = (t: TFunction) => CATEGORIES.map((c) => ({ value: c, label: t(`residents.category.${c}`) }));
export const riskOptions = (t: TFunction) => RISK_TIERS.map((r) => ({ value: r, label: t(`residents.risk.${r}`) }));
export const statusOptions = (t: TFunction) => RESIDENT_STATUSES.map((s) => ({ value: s, label: t(`residents.status.${s}`) }));
export const phoneRelationOptions = (t: TFunction) =>
  PHONE_RELATIONS.map((r) => ({ value: r, label: t(`residents.phoneRelation.${r}`) }));
export const relationToHeadOptions = (t: TFunction) =>
  RELATIONS_TO_HEAD.map((r) => ({ value: r, label: t(`residents.relationToHead.${r}`) }));
export const genderOptions = (t: TFunction) => GENDERS.map((g) => ({ value: g, label: t(`residents.gender.${g}`) }));

export const isCategory = (v: string): v is Category => (CATEGORIES as readonly string[]).includes(v);
export const isRiskTier = (v: string): v is RiskTier => (RISK_TIERS as readonly string[]).includes(v);
export const isStatus = (v: string): v is ResidentStatus => (RESIDENT_STATUSES as readonly string[]).includes(v);
