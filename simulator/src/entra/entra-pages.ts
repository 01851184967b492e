import type { SimUser } from '../tenant/tenant.types';

/** Minimal HTML pages for the dev sign-in and admin-consent flows (no external assets). */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function layout(title: string, body: string): string {
  // System colours only, so the pages follow the browser's light/dark setting.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem;background:Canvas;color:CanvasText}
.card{border:1px solid GrayText;border-radius:8px;padding:1.5rem}
button{font:inherit;padding:.4rem 1rem;margin:.25rem .5rem .25rem 0;cursor:pointer}
select{font:inherit;max-width:100%}
.muted{color:GrayText;font-size:.9em}
.persona{display:block;width:100%;text-align:left}
code{word-break:break-all}
</style></head><body><div class="card">${body}</div>
<p class="muted">Tenant simulator: a local stand-in for Microsoft Entra ID. Not a real sign-in.</p></body></html>`;
}

export function hiddenInputs(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('');
}

function userOptions(users: SimUser[]): string {
  return users
    .map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)} (${escapeHtml(u.userPrincipalName)})</option>`)
    .join('');
}

const PERSONA_LABEL: Record<string, string> = { tenantAdmin: 'Tenant admin', enrichmentAdmin: 'Enrichment admin', seller: 'Seller' };

export function signInPage(opts: { tenantName: string; action: string; fields: Record<string, string | undefined>; personas: SimUser[]; users: SimUser[] }): string {
  const personaButtons = opts.personas
    .map(
      (u) =>
        `<button class="persona" type="submit" name="userId" value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)} <span class="muted">· ${escapeHtml(PERSONA_LABEL[u.persona ?? ''] ?? 'User')}${
          u.appRoles.length ? ` · roles: ${escapeHtml(u.appRoles.join(', '))}` : ''
        }</span></button>`,
    )
    .join('');
  return layout(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(opts.tenantName)}</h1>
<form method="post" action="${escapeHtml(opts.action)}">${hiddenInputs(opts.fields)}
<h2>Personas</h2>${personaButtons || '<p class="muted">This tenant has no persona users.</p>'}
</form>
<form method="post" action="${escapeHtml(opts.action)}">${hiddenInputs(opts.fields)}
<h2>Any user</h2><label>User <select name="userId">${userOptions(opts.users)}</select></label>
<button type="submit">Sign in</button></form>`,
  );
}

export function adminConsentPage(opts: {
  tenantName: string;
  appName: string;
  action: string;
  fields: Record<string, string | undefined>;
  permissions: readonly string[];
  admins: SimUser[];
  others: SimUser[];
}): string {
  return layout(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(opts.appName)}</strong> wants these application permissions in <strong>${escapeHtml(opts.tenantName)}</strong>:</p>
<ul>${opts.permissions.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('')}</ul>
<form method="post" action="${escapeHtml(opts.action)}">${hiddenInputs(opts.fields)}
<label>Signed in as <select name="userId"><optgroup label="Global Administrators">${userOptions(opts.admins)}</optgroup><optgroup label="Other users">${userOptions(
      opts.others,
    )}</optgroup></select></label>
<p><button type="submit" name="decision" value="approve">Accept</button><button type="submit" name="decision" value="deny">Cancel</button></p></form>`,
  );
}

export function tenantPickerPage(opts: { title: string; links: Array<{ href: string; label: string }> }): string {
  return layout(
    opts.title,
    `<h1>${escapeHtml(opts.title)}</h1><p>Pick the organisation to sign in to:</p><ul>${opts.links
      .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>`)
      .join('')}</ul>`,
  );
}

export function errorPage(opts: { code: number; message: string; correlationId: string }): string {
  return layout(
    'Sign in error',
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p><strong>AADSTS${opts.code}</strong>: ${escapeHtml(opts.message)}</p>
<p class="muted">Correlation ID: ${escapeHtml(opts.correlationId)} · Timestamp: ${escapeHtml(new Date().toISOString())}</p>`,
  );
}
