import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Server side of the Teams host harness: a tiny HTTP server on its own port (so the tab is a
 * real cross-origin iframe, as in Teams) that serves the harness page and mints SSO tokens
 * through the API's development sign-in, standing in for Teams' token service.
 */

export interface HarnessPageOptions {
  /** The tab URL Teams would load, e.g. the manifest's contentUrl or configurationUrl. */
  tabUrl: string;
  frameContext?: 'content' | 'settings' | 'sidePanel';
  /** Teams theme names: default, dark, contrast. */
  theme?: string;
  locale?: string;
  hostName?: string;
  tenantId: string;
  userId: string;
  userDisplayName?: string;
  userPrincipalName?: string;
  entityId?: string;
  /** The deep link's sub-entity (the context's `subEntityId`, `page.subPageId` in teams-js). */
  subEntityId?: string;
  teamName?: string;
  channelName?: string;
  /** getAuthToken fails with this reason, e.g. `resourceRequiresConsent`. */
  authError?: string;
}

export interface TeamsHostHarness {
  /** The harness origin; the API must list it in TEAMS_HOST_ORIGINS. */
  origin: string;
  /** The harness page URL for one tab session. */
  pageUrl(options: HarnessPageOptions): string;
  /** Points token minting at the API once it is listening (it may start after the harness). */
  setApiBaseUrl(url: string): void;
  close(): Promise<void>;
}

const pageSource = fileURLToPath(new URL('./teams-host-page.ts', import.meta.url));

/** The page script, type-stripped once; the browser gets plain ES2022. */
function compilePageScript(): string {
  const source = fs.readFileSync(pageSource, 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    fileName: 'teams-host-page.ts',
  }).outputText;
}

const pageHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Teams host harness</title>
    <style>html, body { margin: 0; height: 100%; } #stage { position: fixed; inset: 0; }</style>
  </head>
  <body>
    <div id="stage"></div>
    <script type="module" src="/harness.js"></script>
  </body>
</html>`;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startTeamsHostHarness(options: { apiBaseUrl?: string } = {}): Promise<TeamsHostHarness> {
  const script = compilePageScript();
  let apiBaseUrl = options.apiBaseUrl ?? '';

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') return send(res, 200, 'text/html; charset=utf-8', pageHtml);
    if (req.method === 'GET' && path === '/harness.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (req.method === 'POST' && path === '/token') {
      void (async () => {
        try {
          if (!apiBaseUrl) throw new Error('the harness has no API to mint tokens with');
          const body = (await readJson(req)) as { tenantId?: string; userId?: string };
          const upstream = await fetch(`${apiBaseUrl}/api/dev/sign-in`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ tenantId: body.tenantId, userId: body.userId }),
          });
          send(res, upstream.status, 'application/json', await upstream.text());
        } catch (error) {
          send(res, 502, 'application/json', JSON.stringify({ detail: error instanceof Error ? error.message : String(error) }));
        }
      })();
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // localhost, not 127.0.0.1: the tab's origin is localhost too, yet on another port, so the
  // iframe is cross-origin exactly as it is under teams.microsoft.com.
  const origin = `http://localhost:${port}`;

  return {
    origin,
    pageUrl(page) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(page)) if (value !== undefined) query.set(key, String(value));
      return `${origin}/?${query.toString()}`;
    },
    setApiBaseUrl(url) {
      apiBaseUrl = url.replace(/\/+$/, '');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
