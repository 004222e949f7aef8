import { Suspense } from 'react';
import type { ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { RouteErrorPage } from '../pages/errors/ErrorPage';
import { AuthProvider } from './auth';
import { FullPageSpin, RequireAuth, RequireModule, SetupGate } from './guards';
import { ShellLayout } from './layout/ShellLayout';
import { lazyNamed } from './lazyNamed';
import { PrefsProvider } from './prefs';
import { ThemeRoot } from './ThemeRoot';

const LoginPage = lazyNamed(() => import('../pages/login/LoginPage'), 'LoginPage');
const SetupPage = lazyNamed(() => import('../pages/setup/SetupPage'), 'SetupPage');
const HomePage = lazyNamed(() => import('../pages/home/HomePage'), 'HomePage');
const VillagesPage = lazyNamed(() => import('../pages/villages/VillagesPage'), 'VillagesPage');
const StationsPage = lazyNamed(() => import('../pages/organisation/StationsPage'), 'StationsPage');
const UsersPage = lazyNamed(() => import('../pages/users/UsersPage'), 'UsersPage');
const AuditPage = lazyNamed(() => import('../pages/audit/AuditPage'), 'AuditPage');
const passwordPages = () => import('../pages/account/ChangePasswordPage');
const ChangePasswordPage = lazyNamed(passwordPages, 'ChangePasswordPage');
const ForcedPasswordPage = lazyNamed(passwordPages, 'ForcedPasswordPage');
const totpPages = () => import('../pages/account/TotpPage');
const TotpPage = lazyNamed(totpPages, 'TotpPage');
const ForcedTotpPage = lazyNamed(totpPages, 'ForcedTotpPage');
const SessionsPage = lazyNamed(() => import('../pages/account/SessionsPage'), 'SessionsPage');
const NotFoundPage = lazyNamed(() => import('../pages/errors/NotFoundPage'), 'NotFoundPage');

/** Providers that need the router (navigation on 401) live inside it. */
function Root() {
  return (
    <PrefsProvider>
      <ThemeRoot>
        <AuthProvider>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </AuthProvider>
      </ThemeRoot>
    </PrefsProvider>
  );
}

const mod = (module: string, page: ReactNode) => <RequireModule module={module}>{page}</RequireModule>;

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <SetupGate />,
        errorElement: <RouteErrorPage />,
        children: [
          { path: '/setup', element: <SetupPage /> },
          { path: '/login', element: <LoginPage /> },
          {
            element: <RequireAuth />,
            children: [
              { path: '/change-password', element: <ForcedPasswordPage /> },
              { path: '/totp-setup', element: <ForcedTotpPage /> },
              {
                element: <ShellLayout />,
                errorElement: <RouteErrorPage />,
                children: [
                  { index: true, element: mod('home', <HomePage />) },
                  { path: '/villages', element: mod('villages', <VillagesPage />) },
                  { path: '/organisation', element: mod('organisation', <StationsPage />) },
                  { path: '/users', element: mod('users', <UsersPage />) },
                  { path: '/audit', element: mod('audit', <AuditPage />) },
                  { path: '/account/password', element: <ChangePasswordPage /> },
                  { path: '/account/sessions', element: <SessionsPage /> },
                  { path: '/account/totp', element: <TotpPage /> },
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
]);
