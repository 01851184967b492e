/** Dev defaults for the app registration the simulator knows. Not secrets: they only work here. */
export const DEV_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const DEV_CLIENT_SECRET = 'dev-simulator-secret';
export const DEV_REDIRECT_URI = 'http://localhost:3000/api/consent/callback';
