import { AppError } from '../platform/errors/app-error';

export interface SimulatedPersona {
  userId: string;
  displayName: string;
  persona: 'tenantAdmin' | 'enrichmentAdmin' | 'seller';
  roles: string[];
}

export interface SimulatedTenantPersonas {
  tenantId: string;
  displayName: string;
  personas: SimulatedPersona[];
}

export interface SimulatorClient {
  personas(): Promise<SimulatedTenantPersonas[]>;
  ssoToken(tenantId: string, userId: string): Promise<{ accessToken: string; expiresOn: string }>;
}

/** Talks to the tenant simulator's development endpoints over HTTPS. */
export function createSimulatorClient(simulatorUrl: string): SimulatorClient {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${simulatorUrl}${path}`, init);
    } catch (e) {
      throw new AppError('graph-unavailable', 'The tenant simulator is not reachable; start it with npm run sim (npm start does this for you).', { cause: e });
    }
    if (res.status === 404) throw new AppError('not-found', 'The simulator does not know that tenant or user.');
    if (!res.ok) throw new AppError('graph-unavailable', `The tenant simulator answered ${res.status}.`);
    return (await res.json()) as T;
  };

  return {
    async personas() {
      const { tenants } = await call<{ tenants: Array<{ tenantId: string; displayName: string }> }>('/_sim/tenants');
      return Promise.all(
        tenants.map(async (t) => {
          const { value } = await call<{ value: Array<{ id: string; displayName: string; persona: SimulatedPersona['persona']; roles: string[] }> }>(
            `/_sim/dev/personas?tenantId=${encodeURIComponent(t.tenantId)}`,
          );
          const personas = value.map((p) => ({ userId: p.id, displayName: p.displayName, persona: p.persona, roles: p.roles }));
          return { tenantId: t.tenantId, displayName: t.displayName, personas };
        }),
      );
    },
    ssoToken(tenantId, userId) {
      return call('/_sim/dev/sso-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId, userId }),
      });
    },
  };
}
