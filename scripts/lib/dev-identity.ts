/**
 * The app registration the simulator knows and the API uses in development. These are not
 * secrets: they exist only inside the local tenant simulator. Production values come from the
 * environment (see README, "Point it at a real tenant").
 */
export const DEV_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const DEV_CLIENT_SECRET = 'dev-simulator-secret';
