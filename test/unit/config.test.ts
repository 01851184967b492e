import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../api/src/platform/config/config';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/',
  AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  AUTH_CLIENT_SECRET: 's3cret',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('parseConfig', () => {
  it('when only the required values are set, then Entra and Graph production endpoints are the defaults', () => {
    const c = parseConfig(base);
    expect(c.auth.authorityHost).toBe('https://login.microsoftonline.com');
    expect(c.graph.baseUrl).toBe('https://graph.microsoft.com');
    expect(c.auth.appIdUri).toBe('api://localhost/11111111-2222-4333-8444-555555555555');
    expect(c.dev.signIn).toBe(false);
  });

  it('when required values are missing, then every missing one is named', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/MONGODB_URI/);
    expect(problems.join('\n')).toMatch(/AUTH_CLIENT_ID/);
    expect(problems.join('\n')).toMatch(/AUTH_CLIENT_SECRET/);
  });

  it('when the authority is plain http, then it is refused because MSAL would refuse it', () => {
    expect(problemsOf({ ...base, AUTH_AUTHORITY_HOST: 'http://localhost:8443' }).join()).toMatch(/AUTH_AUTHORITY_HOST must be an https/);
  });

  it('when production points at the simulator or enables dev sign-in, then it fails fast', () => {
    const problems = problemsOf({
      ...base,
      APP_ENV: 'production',
      AUTH_AUTHORITY_HOST: 'https://localhost:8443',
      SIM_URL: 'https://localhost:8443',
      DEV_SIGN_IN: 'true',
    }).join('\n');
    expect(problems).toMatch(/AUTH_AUTHORITY_HOST must be one of/);
    expect(problems).toMatch(/DEV_SIGN_IN must be false in production/);
    expect(problems).toMatch(/SIM_URL must not be set in production/);
  });

  it('when production has no webhook secret key or allows private webhook hosts, then it fails fast naming them', () => {
    const problems = problemsOf({ ...base, APP_ENV: 'production', CONSENT_STATE_SECRET: 'c'.repeat(40), WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'localhost' }).join('\n');
    expect(problems).toMatch(/WEBHOOK_SECRET_KEY is required in production/);
    expect(problems).toMatch(/WEBHOOK_ALLOWED_PRIVATE_HOSTS must be empty in production/);
    const ok = parseConfig({ ...base, APP_ENV: 'production', CONSENT_STATE_SECRET: 'c'.repeat(40), WEBHOOK_SECRET_KEY: 'k'.repeat(40) });
    expect(ok.webhooks).toMatchObject({ allowedPrivateHosts: [], timeoutMs: 10_000, maxAttempts: 6, retryBaseMs: 30_000, secretKey: 'k'.repeat(40) });
  });

  it('when dev sign-in is on without a simulator URL, then it says the URL is needed', () => {
    expect(problemsOf({ ...base, DEV_SIGN_IN: 'true' }).join()).toMatch(/SIM_URL is required/);
  });

  it('when the allow-list has spaces and capitals, then tenant ids are normalised', () => {
    const c = parseConfig({ ...base, AUTH_ALLOWED_TENANTS: ' AAAAAAAA-0000-4000-8000-000000000001 , bbbbbbbb-0000-4000-8000-000000000002' });
    expect(c.auth.allowedTenants).toEqual(['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002']);
  });
});
