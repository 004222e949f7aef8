import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Locale } from '../api/types';
import { currentLocale, i18n } from '../i18n';
import { readStored, STORAGE_KEYS, writeStored } from './storage';

export interface Prefs {
  locale: Locale;
  elderMode: boolean;
}

interface PrefsContextValue extends Prefs {
  /** Apply preferences on this device at once (no server call). */
  applyPrefs: (patch: Partial<Prefs>) => void;
}

const PrefsContext = createContext<PrefsContextValue | null>(null);

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(currentLocale);
  const [elderMode, setElderMode] = useState(() => readStored(STORAGE_KEYS.elderMode) === '1');

  const applyPrefs = useCallback((patch: Partial<Prefs>) => {
    if (patch.locale !== undefined) {
      setLocale(patch.locale);
      if (i18n.language !== patch.locale) void i18n.changeLanguage(patch.locale);
    }
    if (patch.elderMode !== undefined) {
      setElderMode(patch.elderMode);
      writeStored(STORAGE_KEYS.elderMode, patch.elderMode ? '1' : '0');
    }
  }, []);

  useEffect(() => {
    document.documentElement.dataset.elder = elderMode ? 'on' : 'off';
  }, [elderMode]);

  const value = useMemo(
    () => ({ locale, elderMode, applyPrefs }),
    [locale, elderMode, applyPrefs],
  );
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

export function usePrefs(): PrefsContextValue {
  const ctx = useContext(PrefsContext);
  if (!ctx) throw new Error('usePrefs outside PrefsProvider');
  return ctx;
}
