import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import {
  api,
  ApiError,
  apiPatch,
  apiPost,
  setCsrfToken,
  setForcedFlowHandler,
  setUnauthorizedHandler,
} from '../api/client';
import type { AuthResponse, User } from '../api/types';
import { usePrefs } from './prefs';
import type { Prefs } from './prefs';
import { loginPath } from './paths';

/** Form drafts can hold personal data: none stays behind on a shared station computer after sign-out. */
function clearDrafts(): void {
  try {
    for (const key of Object.keys(window.localStorage)) if (key.startsWith('xq.residentDraft.')) window.localStorage.removeItem(key);
  } catch {
    /* storage unavailable: nothing was kept */
  }
}

export const ME_KEY = ['auth', 'me'] as const;

type Status = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthContextValue {
  status: Status;
  user: User | null;
  meError: unknown;
  /** True when the last session ended by timeout; the login page says so. */
  sessionExpired: boolean;
  login: (input: { username: string; password: string; otp?: string }) => Promise<User>;
  logout: () => Promise<void>;
  setUser: (user: User) => void;
  refresh: () => Promise<unknown>;
  /** Apply at once; when logged in also save to the account. */
  savePrefs: (patch: Partial<Prefs>) => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Kept for this tab only (it survives a reload of the login page, not a new visit). */
const PICKED_LOCALE = 'xq.pickedLocale';

function takePickedLocale(): Prefs['locale'] | null {
  const v = sessionStorage.getItem(PICKED_LOCALE);
  sessionStorage.removeItem(PICKED_LOCALE);
  return v === 'en' || v === 'zh-CN' ? v : null;
}

async function fetchMe(onExpired: () => void): Promise<User | null> {
  try {
    const res = await api<AuthResponse>('/api/auth/me');
    return res.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      if (e.id === 'session_expired') onExpired();
      return null;
    }
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { applyPrefs } = usePrefs();
  const [sessionExpired, setSessionExpired] = useState(false);
  const locationRef = useRef(location);
  locationRef.current = location;

  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: () => fetchMe(() => setSessionExpired(true)),
    retry: false,
    staleTime: Infinity,
  });
  const user = me.data ?? null;

  const setUser = useCallback((u: User) => qc.setQueryData(ME_KEY, u), [qc]);

  // The account's saved preferences win once we know who is logged in.
  useEffect(() => {
    if (user) applyPrefs({ locale: user.locale, elderMode: user.elderMode });
  }, [user?.id, user?.locale, user?.elderMode, applyPrefs]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const { pathname, search } = locationRef.current;
      if (pathname === '/login') return;
      setSessionExpired(true);
      setCsrfToken(null);
      navigate(loginPath(pathname + search), { replace: true });
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'setup' });
    });
    // The server refuses other calls until a forced step is done: reload the user, the guard redirects.
    setForcedFlowHandler(() => void qc.invalidateQueries({ queryKey: ME_KEY }));
    return () => {
      setUnauthorizedHandler(null);
      setForcedFlowHandler(null);
    };
  }, [navigate, qc]);

  // A language picked on the login page is the one this person wants: save it to the account at
  // login instead of letting the account's older choice switch the UI back under them.

  const login = useCallback<AuthContextValue['login']>(
    async (input) => {
      const res = await apiPost<AuthResponse>('/api/auth/login', input);
      let user = res.user;
      const picked = takePickedLocale();
      if (picked && picked !== user.locale) {
        user = (await apiPatch<{ user: User }>('/api/auth/preferences', { locale: picked })).user;
      }
      setSessionExpired(false);
      qc.setQueryData(ME_KEY, user);
      return user;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    try {
      await apiPost<void>('/api/auth/logout');
    } finally {
      setCsrfToken(null);
      setSessionExpired(false);
      clearDrafts();
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'setup' });
      navigate('/login', { replace: true });
    }
  }, [navigate, qc]);

  const savePrefs = useCallback<AuthContextValue['savePrefs']>(
    async (patch) => {
      applyPrefs(patch);
      if (!qc.getQueryData<User | null>(ME_KEY)) {
        if (patch.locale) sessionStorage.setItem(PICKED_LOCALE, patch.locale);
        return;
      }
      const res = await apiPatch<{ user: User }>('/api/auth/preferences', patch);
      qc.setQueryData(ME_KEY, res.user);
    },
    [applyPrefs, qc],
  );

  const status: Status = me.isPending
    ? 'loading'
    : me.isError
      ? 'error'
      : user
        ? 'authenticated'
        : 'anonymous';

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      user,
      meError: me.error,
      sessionExpired,
      login,
      logout,
      setUser,
      refresh: me.refetch,
      savePrefs,
    }),
    [status, user, me.error, sessionExpired, login, logout, setUser, me.refetch, savePrefs],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** Same as useAuth but for pages that only render when logged in. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a logged-in user');
  return user;
}
