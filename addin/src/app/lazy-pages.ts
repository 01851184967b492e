import { lazy } from 'react';
import type { PageId } from '../platform/navigation/page-id';

// Each page is its own chunk: admin screens and the chart code that will follow stay out of
// the first download, which matters in the Teams mobile webview.
export const pageComponents: Record<PageId, React.LazyExoticComponent<() => React.JSX.Element>> = {
  enrichments: lazy(() => import('../pages/enrichments/enrichments-page').then((m) => ({ default: m.EnrichmentsPage }))),
  customers: lazy(() => import('../pages/customers/customers-page').then((m) => ({ default: m.CustomersPage }))),
  segments: lazy(() => import('../pages/segments/segments-page').then((m) => ({ default: m.SegmentsPage }))),
  datasets: lazy(() => import('../pages/datasets/datasets-page').then((m) => ({ default: m.DatasetsPage }))),
  results: lazy(() => import('../pages/results/results-page').then((m) => ({ default: m.ResultsPage }))),
  enrichment: lazy(() =>
    import('../pages/enrichment-detail/enrichment-detail-page').then((m) => ({ default: m.EnrichmentDetailPage })),
  ),
  'enrichment-wizard': lazy(() =>
    import('../pages/enrichment-wizard/enrichment-wizard-page').then((m) => ({ default: m.EnrichmentWizardPage })),
  ),
};

export const DevSignInPage = lazy(() =>
  import('../pages/sign-in/dev-sign-in-page').then((m) => ({ default: m.DevSignInPage })),
);

export const TabConfigPage = lazy(() =>
  import('../pages/tab-config/tab-config-page').then((m) => ({ default: m.TabConfigPage })),
);

export const OpenInTeamsPage = lazy(() =>
  import('../pages/sign-in/open-in-teams-page').then((m) => ({ default: m.OpenInTeamsPage })),
);
