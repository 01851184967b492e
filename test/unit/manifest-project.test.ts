import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledSchemaPath } from '../../scripts/lib/app-package';
import { JOB_PROCESS_NODE_FLAGS, missingJobProcessFlags } from '../../api/src/platform/config/job-process-flags';

/** The toolkit project hangs together: manifest ↔ Entra app manifest ↔ teamsapp.yml ↔ env files. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('manifest/manifest.json')) as Record<string, any>;
const aad = JSON.parse(read('aad.manifest.json')) as Record<string, any>;

const TEAMS_CLIENTS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
const OUTLOOK_AND_M365_CLIENTS = [
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '4345a7b9-9a63-4910-a426-35363201d503',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  '00000002-0000-0ff1-ce00-000000000000',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
];

describe('Teams app project', () => {
  it('the manifest names a bundled GA schema (no locale segment) at 1.13 or later, so it runs in Outlook and Microsoft 365', () => {
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
    expect(bundledSchemaPath(manifest.$schema)).not.toBeNull();
    const [major, minor] = String(manifest.manifestVersion).split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(13);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
  });

  it('the SSO resource in the manifest is the App ID URI the Entra app registers', () => {
    expect(aad.identifierUris).toEqual([manifest.webApplicationInfo.resource]);
    expect(manifest.webApplicationInfo.id).toBe(aad.appId);
    expect(manifest.validDomains).toContain('${{TAB_DOMAIN}}');
  });

  it('the Entra app exposes access_as_user to the Teams, Outlook and Microsoft 365 clients, with the EngagementAdmin role and the Graph permissions', () => {
    const scope = aad.api.oauth2PermissionScopes.find((s: { value: string }) => s.value === 'access_as_user');
    expect(scope).toMatchObject({ type: 'User', isEnabled: true });
    const pre = aad.api.preAuthorizedApplications as Array<{ appId: string; delegatedPermissionIds: string[] }>;
    expect(pre.map((p) => p.appId)).toEqual(expect.arrayContaining([...TEAMS_CLIENTS, ...OUTLOOK_AND_M365_CLIENTS]));
    for (const p of pre) expect(p.delegatedPermissionIds).toEqual([scope.id]);
    expect(aad.appRoles.map((r: { value: string }) => r.value)).toContain('EngagementAdmin');
    const roles = aad.requiredResourceAccess[0].resourceAccess.filter((a: { type: string }) => a.type === 'Role').map((a: { id: string }) => a.id);
    expect(roles.sort()).toEqual(
      ['Calendars.ReadBasic.All', 'GroupMember.Read.All', 'Mail.ReadBasic.All', 'Organization.Read.All', 'RoleManagement.Read.Directory', 'TeamsActivity.Send', 'User.Read.All'].sort(),
    );
    // One manifest shape only: the Microsoft Graph one.
    expect(aad).not.toHaveProperty('oauth2Permissions');
    expect(aad).not.toHaveProperty('replyUrlsWithType');
  });

  it('the personal tabs and the configurable tab are declared, and every language file translates every static tab', () => {
    expect(manifest.staticTabs.every((t: { scopes: string[] }) => t.scopes.join() === 'personal')).toBe(true);
    expect(manifest.configurableTabs).toHaveLength(1);
    expect(manifest.configurableTabs[0].scopes).toEqual(expect.arrayContaining(['team', 'groupChat']));
    const languages = [manifest.localizationInfo.defaultLanguageFile, ...manifest.localizationInfo.additionalLanguages.map((l: { file: string }) => l.file)];
    expect(manifest.localizationInfo.additionalLanguages.map((l: { languageTag: string }) => l.languageTag)).toEqual(['fr', 'pl', 'sv', 'id', 'zh-hk']);
    for (const file of languages) {
      const strings = JSON.parse(read(`manifest/${file}`)) as Record<string, string>;
      manifest.staticTabs.forEach((_: unknown, i: number) => expect(strings[`staticTabs[${i}].name`], `${file} staticTabs[${i}].name`).toBeTruthy());
      // Room for the longest environment suffix within Teams' 30 characters.
      expect(strings['name.short']!.replace('${{APP_NAME_SUFFIX}}', ' (local)').length, file).toBeLessThanOrEqual(30);
    }
  });

  it('both toolkit files pin a schema URL and version that match, and package the manifest folder', () => {
    for (const file of ['teamsapp.yml', 'teamsapp.local.yml']) {
      const text = read(file);
      const schemaVersion = /\$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/(v[\d.]+)\/yaml\.schema\.json/.exec(text)?.[1];
      const version = /^version:\s*(\S+)\s*$/m.exec(text)?.[1];
      expect(schemaVersion, file).toBeDefined();
      expect(version, file).toBe(schemaVersion);
      expect(text).toContain('manifestPath: ./manifest/manifest.json');
      expect(text).toContain('manifestPath: ./aad.manifest.json');
      expect(text).toContain('uses: teamsApp/extendToM365');
      expect(text).toMatch(/outputFolder: \.\/build/);
      // Secrets only ever arrive through SECRET_* variables.
      expect(text).not.toMatch(/(SECRET|PASSWORD|CLIENT_SECRET)\s*[:=]\s*(?!\$\{\{)[^\s$"]/);
    }
    expect(read('teamsapp.yml')).toContain('uses: azureAppService/zipDeploy');
    expect(read('teamsapp.yml')).toContain('uses: teamsApp/publishAppPackage');
  });

  it('when the App Service starts the app, then it passes the Node flags job processes are tuned for', () => {
    expect(read('teamsapp.yml')).toContain('--startup-file "npm run serve"');
    const serve = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.serve!;
    expect(serve).toMatch(/^node .*api\/src\/main\.ts$/);
    expect(missingJobProcessFlags(serve.split(' '), undefined)).toEqual([]);
    expect(missingJobProcessFlags(['--import', 'tsx'], '--enable-source-maps')).toEqual([...JOB_PROCESS_NODE_FLAGS]);
  });

  it('committed env files carry no secrets and the .user files stay out of git', () => {
    for (const file of fs.readdirSync(path.join(root, 'env'))) {
      if (file.endsWith('.user')) continue;
      expect(read(`env/${file}`), file).not.toMatch(/^SECRET_/m);
    }
    expect(read('.gitignore')).toMatch(/^env\/\.env\.\*\.user$/m);
  });
});
