import { Route, Routes } from 'react-router';
import { DuePage } from './DuePage';
import { HistoryPage } from './HistoryPage';
import { VisitDetail } from './VisitDetail';
import { VisitForm } from './VisitForm';
import './visits.css';

/** /visits (due list), /visits/new?residentId= (the visit form), /visits/history, /visits/:id. */
export function VisitsPage() {
  return (
    <Routes>
      <Route index element={<DuePage />} />
      <Route path="new" element={<VisitForm />} />
      <Route path="history" element={<HistoryPage />} />
      <Route path=":id" element={<VisitDetail />} />
    </Routes>
  );
}
