/**
 * Browser side of the Teams host harness: runs in the harness page (the "Teams client"),
 * embeds the tab in an iframe and answers the @microsoft/teams-js postMessage protocol the
 * way the Teams web client does. Served by teams-host-harness.ts after a TypeScript-only
 * transpile, so it must stay self-contained (no imports).
 *
 * Protocol (teams-js 2.x, read from its communication.js / appHelpers.js / handlers.js):
 * - the app posts requests `{ id, uuidAsString, func, args, apiVersionTag, … }`;
 * - the host answers a request with `{ id, uuidAsString, args }` (the same id and uuid);
 * - the host raises events with `{ func, args }` and no numeric `id` (e.g. `themeChange`);
 * - `initialize` carries `[sdkVersion, runtimeApiVersion, validMessageOrigins]` and is answered
 *   with `[frameContext, hostClientType, runtimeConfigJson, clientSupportedSdkVersion]`.
 */

interface HarnessOptions {
  tabUrl: string;
  frameContext: string;
  theme: string;
  locale: string;
  hostName: string;
  tenantId: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
  entityId: string;
  subEntityId: string;
  teamName: string;
  channelName: string;
  /** When set, getAuthToken fails with this reason, as Teams does (a bare string). */
  authError: string;
}

interface AppMessage {
  id?: number;
  uuidAsString?: string;
  func?: string;
  args?: unknown[];
}

interface LoggedMessage {
  func: string;
  args: unknown[];
  at: number;
}

interface SaveOutcome {
  ok: boolean;
  reason?: string;
}

interface Harness {
  messages: LoggedMessage[];
  validity: boolean[];
  settings: unknown[];
  authRequests: number;
  handlers: string[];
  sdkVersion: string | null;
  setTheme(theme: string): void;
  setAuthError(reason: string): void;
  save(timeoutMs?: number): Promise<SaveOutcome>;
  funcs(): string[];
}

declare global {
  interface Window {
    teamsHarness: Harness;
  }
}

const query = new URLSearchParams(window.location.search);
const opt = (name: keyof HarnessOptions, fallback = ''): string => query.get(name) ?? fallback;
const options: HarnessOptions = {
  tabUrl: opt('tabUrl'),
  frameContext: opt('frameContext', 'content'),
  theme: opt('theme', 'default'),
  locale: opt('locale', 'en-us'),
  hostName: opt('hostName', 'Teams'),
  tenantId: opt('tenantId'),
  userId: opt('userId'),
  userDisplayName: opt('userDisplayName'),
  userPrincipalName: opt('userPrincipalName'),
  entityId: opt('entityId', 'customers'),
  subEntityId: opt('subEntityId'),
  teamName: opt('teamName'),
  channelName: opt('channelName'),
  authError: opt('authError'),
};

const tabOrigin = new URL(options.tabUrl).origin;
const frame = document.createElement('iframe');
frame.title = 'tab';
frame.src = options.tabUrl;
frame.style.width = '100%';
frame.style.height = '100%';
frame.style.border = '0';
document.getElementById('stage')!.appendChild(frame);

let theme = options.theme;
let authError = options.authError;
let pendingSave: ((outcome: SaveOutcome) => void) | null = null;

const harness: Harness = {
  messages: [],
  validity: [],
  settings: [],
  authRequests: 0,
  handlers: [],
  sdkVersion: null,
  setTheme(next) {
    theme = next;
    // Teams raises the event to every frame that registered a theme handler.
    post({ func: 'themeChange', args: [next] });
  },
  setAuthError(reason) {
    authError = reason;
  },
  save(timeoutMs = 10_000) {
    return new Promise<SaveOutcome>((resolve) => {
      const timer = setTimeout(() => {
        pendingSave = null;
        resolve({ ok: false, reason: 'the tab did not answer the save event' });
      }, timeoutMs);
      pendingSave = (outcome) => {
        clearTimeout(timer);
        pendingSave = null;
        resolve(outcome);
      };
      // Teams raises `settings.save` when the user selects Save in the setup dialog.
      post({ func: 'settings.save', args: [{ webhookUrl: '' }] });
    });
  },
  funcs() {
    return harness.messages.map((m) => m.func);
  },
};
window.teamsHarness = harness;

function post(message: Record<string, unknown>): void {
  frame.contentWindow?.postMessage(message, tabOrigin);
}

function respond(request: AppMessage, args: unknown[]): void {
  post({ id: request.id, uuidAsString: request.uuidAsString, args });
}

/** What Teams' web client says it supports; teams-js gates features on this document. */
function runtimeConfig(): string {
  return JSON.stringify({
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: {
      app: {},
      appEntity: {},
      authentication: {},
      dialog: { url: {}, update: {} },
      pages: { appButton: {}, backStack: {}, config: {}, tabs: {} },
      teamsCore: {},
    },
  });
}

/** The context Teams sends: the flat legacy shape that teams-js maps onto `app.Context`. */
function legacyContext(): Record<string, unknown> {
  const inChannel = options.frameContext === 'settings' || !!options.channelName;
  return {
    locale: options.locale,
    theme,
    frameContext: options.frameContext,
    hostName: options.hostName,
    hostClientType: 'web',
    appSessionId: '5f0c3a8e-7a52-4a57-9d1a-3f4d2a1b6c01',
    sessionId: '8d1e2f3a-4b5c-4d6e-8f70-819a2b3c4d5e',
    entityId: options.frameContext === 'settings' ? '' : options.entityId,
    ...(options.subEntityId ? { subEntityId: options.subEntityId } : {}),
    tid: options.tenantId,
    userObjectId: options.userId,
    userDisplayName: options.userDisplayName,
    userPrincipalName: options.userPrincipalName,
    loginHint: options.userPrincipalName,
    ...(inChannel
      ? {
          teamId: '19:harness-team@thread.tacv2',
          teamName: options.teamName || 'Sales',
          channelId: '19:harness-channel@thread.tacv2',
          channelName: options.channelName || 'Key accounts',
          groupId: 'a6b0e3c2-9d41-4c8e-b1f7-2e5d8c9a0b13',
        }
      : {}),
  };
}

async function mintToken(): Promise<string> {
  const response = await fetch('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: options.tenantId, userId: options.userId }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const body = (await response.json()) as { accessToken: string };
  return body.accessToken;
}

async function handle(request: AppMessage): Promise<void> {
  const func = request.func ?? '';
  const args = Array.isArray(request.args) ? request.args : [];
  harness.messages.push({ func, args, at: Date.now() });
  switch (func) {
    case 'initialize':
      harness.sdkVersion = typeof args[0] === 'string' ? args[0] : null;
      // Version handshake: the host reports the SDK version it supports, here the app's own.
      respond(request, [options.frameContext, 'web', runtimeConfig(), harness.sdkVersion ?? '2.0.0']);
      return;
    case 'getContext':
      respond(request, [legacyContext()]);
      return;
    case 'authentication.getAuthToken':
      harness.authRequests += 1;
      if (authError) {
        respond(request, [false, authError]);
        return;
      }
      try {
        respond(request, [true, await mintToken()]);
      } catch (error) {
        respond(request, [false, error instanceof Error ? error.message : String(error)]);
      }
      return;
    case 'registerHandler':
      if (typeof args[0] === 'string') harness.handlers.push(args[0]);
      return;
    case 'settings.setValidityState':
      harness.validity.push(args[0] === true);
      return;
    case 'settings.setSettings':
      harness.settings.push(args[0]);
      respond(request, [true]);
      return;
    case 'settings.getSettings':
      respond(request, [harness.settings.at(-1) ?? {}]);
      return;
    case 'settings.save.success':
      pendingSave?.({ ok: true });
      return;
    case 'settings.save.failure':
      pendingSave?.({ ok: false, reason: typeof args[0] === 'string' ? args[0] : 'no reason given' });
      return;
    default:
      // appInitialization.* and everything else are one-way notifications: logged only.
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only the embedded tab, from its own origin, may talk to the host.
  if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
  const data = event.data as AppMessage | null;
  if (!data || typeof data !== 'object' || typeof data.func !== 'string') return;
  void handle(data);
});

export {};
