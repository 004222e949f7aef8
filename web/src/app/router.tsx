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
const ResidentsPage = lazyNamed(() => import('../pages/residents/ResidentsPage'), 'ResidentsPage');
const ResidentFormPage = lazyNamed(() => import('../pages/residents/ResidentFormPage'), 'ResidentFormPage');
const ResidentDetailPage = lazyNamed(() => import('../pages/residents/ResidentDetailPage'), 'ResidentDetailPage');
const ImportPage = lazyNamed(() => import('../pages/residents/import/ImportPage'), 'ImportPage');
const ConsentFormPrintPage = lazyNamed(() => import('../pages/residents/consents/ConsentFormPrintPage'), 'ConsentFormPrintPage');
const PrivacyPage = lazyNamed(() => import('../pages/privacy/PrivacyPage'), 'PrivacyPage');
const AccessReportPage = lazyNamed(() => import('../pages/privacy/AccessReportPage'), 'AccessReportPage');
const AppointmentsPage = lazyNamed(() => import('../pages/appointments/AppointmentsPage'), 'AppointmentsPage');
const BookPage = lazyNamed(() => import('../pages/appointments/BookPage'), 'BookPage');
const ServicesPage = lazyNamed(() => import('../pages/services/ServicesPage'), 'ServicesPage');
const ServiceRecordsPage = lazyNamed(() => import('../pages/service-records/ServiceRecordsPage'), 'ServiceRecordsPage');
const ConsultationsPage = lazyNamed(() => import('../pages/consultations/ConsultationsPage'), 'ConsultationsPage');
const FaqPage = lazyNamed(() => import('../pages/faq/FaqPage'), 'FaqPage');
const RequestsPage = lazyNamed(() => import('../pages/requests/RequestsPage'), 'RequestsPage');
const VisitsPage = lazyNamed(() => import('../pages/visits/VisitsPage'), 'VisitsPage');
const FeedbackPage = lazyNamed(() => import('../pages/feedback/FeedbackPage'), 'FeedbackPage');
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
          // The public FAQ: de-identified answers anyone may read without an account.
          { path: '/faq', element: <FaqPage /> },
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
                  { path: '/residents', element: mod('residents', <ResidentsPage />) },
                  { path: '/residents/new', element: mod('residents', <ResidentFormPage />) },
                  { path: '/residents/import', element: mod('residents', <ImportPage />) },
                  { path: '/residents/:id', element: mod('residents', <ResidentDetailPage />) },
                  { path: '/residents/:id/edit', element: mod('residents', <ResidentFormPage />) },
                  { path: '/residents/:id/consent-form', element: mod('residents', <ConsentFormPrintPage />) },
                  { path: '/residents/:id/access-report', element: mod('residents', <AccessReportPage />) },
                  { path: '/privacy', element: mod('privacy', <PrivacyPage />) },
                  { path: '/appointments', element: mod('appointments', <AppointmentsPage />) },
                  { path: '/appointments/book', element: mod('appointments', <BookPage />) },
                  { path: '/services', element: mod('services', <ServicesPage />) },
                  { path: '/service-records', element: mod('service_records', <ServiceRecordsPage />) },
                  // Each module owns the sub-paths under its own path (e.g. /consultations/:id).
                  { path: '/consultations/*', element: mod('consultations', <ConsultationsPage />) },
                  { path: '/requests/*', element: mod('requests', <RequestsPage />) },
                  { path: '/visits/*', element: mod('visits', <VisitsPage />) },
                  { path: '/feedback/*', element: mod('feedback', <FeedbackPage />) },
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
