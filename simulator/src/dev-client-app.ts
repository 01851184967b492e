/** Dev defaults for the app registration the simulator knows. Not secrets: they only work here. */
export const DEV_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const DEV_CLIENT_SECRET = 'dev-simulator-secret';
export const DEV_REDIRECT_URI = 'http://localhost:3000/api/consent/callback';
/**
 * A second app registration (an integration: a CRM sync, a data pipeline) that a tenant admin has
 * granted the API's EngagementData.Read.All application role in every simulated tenant: it gets
 * app-only tokens for the API with the client credentials grant.
 */
export const DEV_INTEGRATION_CLIENT = {
  clientId: '66666666-7777-4888-9999-000000000001',
  clientSecret: 'dev-integration-secret',
  displayName: 'Engagement data pipeline (dev)',
  grantedRoles: ['EngagementData.Read.All'],
} as const;
