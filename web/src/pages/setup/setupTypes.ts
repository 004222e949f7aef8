import type { OperatorModel } from '../../api/types';

export interface SetupValues {
  setupCode: string;
  province?: string;
  city?: string;
  county?: string;
  township?: string;
  stationName: string;
  operatorModel: OperatorModel;
  operatorName?: string;
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

/** Which fields each wizard step owns (validated before moving on). */
export const STEP_FIELDS: (keyof SetupValues)[][] = [
  ['setupCode', 'province', 'city', 'county', 'township'],
  ['stationName', 'operatorModel', 'operatorName'],
  ['username', 'displayName', 'password', 'confirm'],
];

/** Server field names (`head.password`) → form fields. */
export const SERVER_FIELD_MAP: Record<string, string> = {
  townshipCode: 'township',
  'head.username': 'username',
  'head.displayName': 'displayName',
  'head.password': 'password',
};
