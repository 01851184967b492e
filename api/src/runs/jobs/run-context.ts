import type { AccountRow } from '../../datasets/dataset-rows';
import type { DatasetDocument, DatasetsStore } from '../../datasets/datasets.store';
import { buildAddressBook, type AddressBook } from '../domain/address-book';
import type { RunInputs } from '../domain/run-inputs';
import type { RunDocument, RunsStore } from '../lifecycle/runs.store';
import type { UnmatchedDomainRules } from '../domain/unmatched-domain-rules';
import { unmatchedDomainRulesOf } from './record-unmatched-domains';

/** What a run's mailbox jobs share: who is who (the address book), built once per process. */
export interface RunContext {
  book: AddressBook;
  /** Which participants belong to busy domains that match no account (unmatched-domains). */
  domains: UnmatchedDomainRules;
  dataset: DatasetDocument;
  /** The dataset's accounts as read to build the book: finalize's rows name them (and it need not read them again). */
  accounts: readonly AccountRow[];
  halfLifeDays: number;
}

/** The dataset a run froze is no longer the one stored: the run cannot go on. */
export class DatasetChanged extends Error {}

type RunRef = Pick<RunDocument, '_id' | 'tenantId'>;

/** A run's frozen inputs and context, read and built once per process (they never change once written). */
export class RunContexts {
  private readonly contexts = new Map<string, Promise<RunContext>>();
  private readonly inputs = new Map<string, Promise<RunInputs>>();
  /** What each kept context promise gave, once it did. */
  private readonly built = new WeakMap<Promise<RunContext>, RunContext>();

  constructor(
    private readonly runs: RunsStore,
    private readonly datasets: DatasetsStore,
  ) {}

  inputsOf(run: RunRef): Promise<RunInputs> {
    return cached(this.inputs, run._id, 8, async () => {
      const found = await this.runs.getInputs(run.tenantId, run._id);
      if (!found) throw new Error(`The run ${run._id} has no frozen inputs.`);
      return found;
    });
  }

  /**
   * A worker sees few runs at a time; the latest handful are kept, by the run's fingerprint when
   * it has one: runs with the same fingerprint froze the same mailboxes, dataset version,
   * mapping, exclusions and domains, so they share one context, and a weekly refresh in a
   * process that already built its base run's context does not build it again (at 2,500
   * mailboxes and 10,000 accounts on FerretDB, reading the dataset's contacts and accounts kept
   * every reader of a run waiting about 8 s before its first mailbox).
   */
  contextOf(run: RunRef & { fingerprint?: string | null }): Promise<RunContext> {
    return cached(this.contexts, contextKey(run), 4, () => {
      const context = this.build(run);
      context.then((c) => this.built.set(context, c), () => undefined);
      return context;
    });
  }

  /** The run's context if this process has built it already (a finalize where the run was read), else null. */
  builtContextOf(run: RunRef & { fingerprint?: string | null }): RunContext | null {
    const context = this.contexts.get(contextKey(run));
    return (context && this.built.get(context)) ?? null;
  }

  /**
   * Every kept context forgets what it remembered per address (AddressBook.forgetLookups): for
   * a finalize, whose merge needs no address and whose peak memory is the worker's (issue 13).
   * A mailbox being read meanwhile (another run sharing a context) only looks its addresses up
   * again: a message is parsed in one synchronous step, so none sees two answers for an address.
   */
  forgetLookups(): void {
    // Only contexts already built: one still being built (another run starting) remembers nothing yet.
    for (const context of this.contexts.values()) {
      const c = this.built.get(context);
      c?.book.forgetLookups();
      c?.domains.forgetLookups();
    }
  }

  private async build(run: RunRef): Promise<RunContext> {
    const inputs = await this.inputsOf(run);
    const dataset = await this.datasets.get(run.tenantId, inputs.datasetId);
    if (!dataset || dataset.version !== inputs.datasetVersion) {
      throw new DatasetChanged('The customer dataset was re-imported or deleted during the run; run it again.');
    }
    const contacts = await this.datasets.contactAddressMap(run.tenantId, inputs.datasetId, inputs.mapping);
    const accountDomains = new Map<string, string[]>();
    const accounts: AccountRow[] = [];
    // Read whatever the matching: account domains also tell unmatched domains apart.
    for await (const a of this.datasets.streamAccounts(run.tenantId, dataset)) {
      accountDomains.set(a.accountId, a.domains);
      accounts.push(a);
    }
    const book = buildAddressBook({
      selected: inputs.mailboxes,
      organisationDomains: inputs.organisationDomains,
      contacts: (function* () {
        for (const [email, accountId] of contacts) yield { email, accountId };
      })(),
      accountDomains: [...accountDomains].map(([accountId, domains]) => ({ accountId, domains })),
      matchAccountDomains: inputs.matchAccountDomains,
      excludedAddresses: inputs.exclusions.addresses,
      excludedDomains: inputs.exclusions.domains,
    });
    return { book, dataset, accounts, halfLifeDays: inputs.halfLifeDays, domains: unmatchedDomainRulesOf(accountDomains.values(), contacts.keys()) };
  }
}

/** Runs with one fingerprint share a context (see `contextOf`). */
const contextKey = (run: RunRef & { fingerprint?: string | null }) => (run.fingerprint ? `fingerprint:${run.fingerprint}` : run._id);

/** A promise per run, kept for the latest `size` runs; a rejected one is forgotten so the next call tries again. */
function cached<T>(map: Map<string, Promise<T>>, key: string, size: number, make: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = make();
    value.catch(() => map.delete(key));
    map.set(key, value);
    while (map.size > size) map.delete(map.keys().next().value as string);
  }
  return value;
}
