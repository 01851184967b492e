import { describe, expect, it } from 'vitest';
import { halfLifeProblem } from '../../addin/src/components/half-life';
import { contentTypeFor, guessAccountsColumns, guessContactsColumns, previewHead } from '../../addin/src/pages/datasets/import-files';
import {
  draftFromEnrichment,
  emptyDraft,
  entityNameProblem,
  furthestReachable,
  mergeDomains,
  nameProblem,
  parseEntries,
  selectionKey,
  toEnrichmentInput,
  type StepValidity,
} from '../../addin/src/pages/enrichment-wizard/wizard-draft';

/** The wizard's and the import's pure rules, as the tab applies them before asking the API. */

const allValid: StepValidity = { overview: true, mailboxes: true, consent: true, dataset: true, mapping: true, exclusions: true, name: true };

describe('enrichment wizard draft', () => {
  it('when a step is invalid, then the header reaches that step and nothing after it', () => {
    expect(furthestReachable(allValid)).toBe(7);
    expect(furthestReachable({ ...allValid, overview: false })).toBe(0);
    expect(furthestReachable({ ...allValid, consent: false, name: false })).toBe(2);
  });

  it('when names are checked, then length and characters follow the API rules', () => {
    expect(nameProblem('')).toBe('required');
    expect(nameProblem('ab')).toBe('length');
    expect(nameProblem('x'.repeat(65))).toBe('length');
    expect(nameProblem('Bad/name')).toBe('characters');
    expect(nameProblem('Key accounts_2.0-EU')).toBeNull();
    expect(entityNameProblem('Office')).toBeNull();
    expect(entityNameProblem('1Office')).toBe('characters');
    expect(entityNameProblem('Off ice')).toBe('characters');
  });

  it('when exclusions are pasted, then valid, invalid and repeated entries are told apart', () => {
    expect(parseEntries('a@x.example, bad;B@Y.example a@x.example', 'address', [])).toEqual({
      added: ['a@x.example', 'b@y.example'],
      invalid: ['bad'],
      duplicates: ['a@x.example'],
    });
    expect(parseEntries('@Partner.example https://other.example/ not_a_domain', 'domain', ['partner.example'])).toEqual({
      added: ['other.example'],
      invalid: ['not_a_domain'],
      duplicates: ['partner.example'],
    });
    expect(mergeDomains(['gmail.com', 'partner.example'], ['GMAIL.com', 'yahoo.com'])).toEqual(['gmail.com', 'partner.example', 'yahoo.com']);
  });

  it('when the draft becomes an API input, then it carries the agreement, trimmed names and the selections', () => {
    const input = toEnrichmentInput({
      ...emptyDraft,
      picked: [
        { kind: 'group', id: 'g1', displayName: 'Sales', mail: 'sales@x.example' },
        { kind: 'user', id: 'u1', displayName: 'Ann', mail: 'ann@x.example' },
      ],
      consentAgreed: true,
      datasetId: 'd1',
      emailField: 'Email',
      accountIdField: 'AccountId',
      name: '  Key accounts ',
      entityName: '',
    });
    expect(input).toMatchObject({
      name: 'Key accounts',
      entityName: 'Office',
      consentAgreed: true,
      datasetId: 'd1',
      mailboxes: { selections: [{ kind: 'group', id: 'g1' }, { kind: 'user', id: 'u1' }] },
    });
    expect(() => toEnrichmentInput(emptyDraft)).toThrow(/no dataset/);
    expect(selectionKey(input.mailboxes.selections.map((s) => ({ ...s, displayName: '', mail: null })).reverse())).toBe('group:g1|user:u1');
  });
});

describe('the engagement score half-life as typed', () => {
  it('when a value is typed, then only whole days from 7 to 365 pass, and each mistake is told apart', () => {
    expect(['7', '30', ' 45 ', '365'].map(halfLifeProblem)).toEqual([null, null, null, null]);
    expect(['', '  '].map(halfLifeProblem)).toEqual(['required', 'required']);
    expect(['6', '0', '366', '1000'].map(halfLifeProblem)).toEqual(['range', 'range', 'range', 'range']);
    expect(['30.5', '-30', 'two weeks', '3e1'].map(halfLifeProblem)).toEqual(['whole', 'whole', 'whole', 'whole']);
  });

  it('when the draft becomes an API input, then a valid half-life goes with it and an invalid one never does', () => {
    const base = { ...emptyDraft, datasetId: 'd1', emailField: 'Email', accountIdField: 'AccountId', name: 'Key accounts' };
    expect(emptyDraft.halfLifeDays).toBe('30');
    expect(toEnrichmentInput({ ...base, halfLifeDays: ' 14 ' }).halfLifeDays).toBe(14);
    expect(toEnrichmentInput({ ...base, halfLifeDays: '400' })).not.toHaveProperty('halfLifeDays');
  });

  it('when a stored enrichment is edited, then the wizard starts from its half-life', () => {
    const stored = {
      mailboxes: { selections: [], resolved: [], unresolved: [], count: 0 },
      datasetId: 'd1', mapping: { emailField: 'Email', accountIdField: 'AccountId' }, matchAccountDomains: false,
      exclusions: { addresses: [], domains: [] }, name: 'Key accounts', entityName: 'Office', halfLifeDays: 90,
    } as unknown as Parameters<typeof draftFromEnrichment>[0];
    expect(draftFromEnrichment(stored).halfLifeDays).toBe('90');
  });
});

describe('customer data import helpers', () => {
  it('when columns have common names, then the mapping is guessed whatever their spelling', () => {
    expect(guessAccountsColumns(['Account ID', 'Company Name', 'Web Site', 'Domains'])).toEqual({
      accountIdColumn: 'Account ID',
      nameColumn: 'Company Name',
      domainsColumn: 'Domains',
    });
    expect(guessContactsColumns(['E-mail', 'account_id'])).toEqual({ emailColumn: 'E-mail', accountIdColumn: 'account_id' });
    expect(guessContactsColumns(['Foo'])).toEqual({ emailColumn: '', accountIdColumn: '' });
  });

  it('when a file is previewed, then its type follows the extension and a cut head ends on a whole line', () => {
    expect(contentTypeFor('export.JSON')).toBe('application/json');
    expect(contentTypeFor('rows.ndjson')).toBe('application/x-ndjson');
    expect(contentTypeFor('accounts.csv')).toBe('text/csv');
    expect(previewHead('a,b\n1,2\n3,', false)).toBe('a,b\n1,2\n');
    expect(previewHead('a,b\n1,2\n3,', true)).toBe('a,b\n1,2\n3,');
  });
});
