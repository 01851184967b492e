/**
 * What the snapshot writer costs the worker in memory: a 2,500-mailbox tenant's rows (10,000
 * accounts × 67 rows) staged into a SnapshotWriter and written to Parquet, in a process of its
 * own, with DuckDB's memory limit given on the command line. Prints the process's RSS before
 * the file is written and its high-water mark after, the time the write took and the CPU used.
 *
 *   npm run bench:snapshot-memory -- 192MB   (the writer's default)
 *   npm run bench:snapshot-memory -- 256MB
 *
 * Run each limit several times, alternated: the high-water mark moves with the machine's load.
 * What the write costs alone is not what it costs in the worker, whose heap and other native
 * memory are around it: hold a lower limit against the 2,500-mailbox bench before adopting it.
 */
import fs from 'node:fs';
import { SNAPSHOT_WRITER_MEMORY_LIMIT, SnapshotWriter } from '../../api/src/snapshots/snapshot-writer';

const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

async function main(): Promise<void> {
  const memoryLimit = process.argv[2] ?? SNAPSHOT_WRITER_MEMORY_LIMIT;
  const accounts = 10_000;
  const asOf = Date.parse('2026-11-30T00:00:00Z');
  const day = 86_400_000;
  const writer = await SnapshotWriter.open({ attributes: ['Industry', 'Region'], memoryLimit });
  // Registered in an order unlike their ids', as a dataset's accounts come.
  const idOf = (a: number) => `acc-${String((a * 7919) % accounts).padStart(6, '0')}`;
  for (let a = 0; a < accounts; a++) writer.account({ id: idOf(a), name: `Account ${a}`, domains: [`d${a}.example`], attributes: { Industry: 'Retail', Region: 'EMEA' } });
  let rows = 0;
  const parts = { activity: 1.5, activityEmailsToAccount: 0.5, activityEmailsFromAccount: 0.5, activityMeetingsByOrganisation: 0.25, activityMeetingsByAccount: 0.25, people: 3, raw: 1.2, recentEmails: 4, recentMeetings: 1, daysSinceLastContact: 2, halfLifeDays: 30 };
  for (let a = 0; a < accounts; a++) {
    const row = (level: 'Week' | 'Month' | 'Year', start: number) => {
      writer.add(
        {
          AccountId: idOf(a),
          AccountName: `Account ${a}`,
          AggregationLevel: level,
          AggregationStartDate: new Date(start).toISOString(),
          NoOfEmails_ToAccount: rows % 17,
          NoOfEmails_FromAccount: rows % 13,
          NoOfMeetings_FromAccount: 1,
          NoOfMeetings_ToAccount: 2,
          NoOfContactsInvolved_Emails: 3,
          NoOfContactsInvolved_Meetings: 1,
          NoOfAccountContactsInvolved_Emails: 2,
          NoOfAccountContactsInvolved_Meetings: 1,
          EngagementStartDate: new Date(start + 3_600_000).toISOString(),
          DaysSinceLastEmail: rows % 30,
          DaysSinceLastMeeting: null,
          AverageDuration_Of_Meetings: 30 + (rows % 7),
          AverageDuration_Of_AccountEmailReplies: rows % 5 ? 12.5 + (rows % 100) : null,
          ScoreParts: { ...parts, raw: (rows % 1000) / 100 },
        },
        0,
      );
      rows++;
    };
    for (let k = 0; k < 52; k++) row('Week', asOf - (52 - k) * 7 * day);
    for (let k = 0; k < 14; k++) row('Month', asOf - (14 - k) * 30 * day);
    row('Year', asOf - 365 * day);
  }
  writer.scoresInOrder(Array.from({ length: rows }, (_, i) => i % 101));
  const before = status('VmRSS');
  const cpuFrom = process.cpuUsage();
  const from = Date.now();
  const file = await writer.finish({ runId: 'bench', asOf: new Date(asOf) });
  const finishMs = Date.now() - from;
  const cpu = process.cpuUsage(cpuFrom);
  writer.close();
  console.log(JSON.stringify({ memoryLimit, rows, fileBytes: file.bytes, rssBeforeWriteMiB: Math.round(before), highWaterMiB: Math.round(status('VmHWM')), writeMs: finishMs, writeCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
}

void main();
