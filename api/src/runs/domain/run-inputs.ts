/** What the run computes from: frozen at start so every work item of the run sees the same inputs. */
export interface RunInputs {
  entityName: string;
  /** S, sorted by userId: the index of a mailbox here is its `self` in the domain. */
  mailboxes: Array<{ userId: string; mail: string }>;
  datasetId: string;
  datasetVersion: number;
  accountsVersionId: string;
  contactsVersionId: string;
  mapping: { emailField: string; accountIdField: string };
  exclusions: { addresses: string[]; domains: string[] };
  matchAccountDomains: boolean;
  organisationDomains: string[];
  /** The engagement score's half-life H in days: email buckets carried to a refresh depend on it. */
  halfLifeDays: number;
  /** The privacy threshold k the run publishes with (null or absent: off); not in the fingerprint, it changes no partial. */
  privacyThreshold?: number | null;
}
