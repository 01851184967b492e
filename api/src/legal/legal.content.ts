import type { LegalDocument } from './legal-page';

/**
 * What the app really does with data, in plain words. Keep this in step with the code: the
 * Graph `$select` lists (engine ingestion), the stored collections (docs/engine.md) and the
 * application permissions in aad.manifest.json.
 */
export const privacyStatement: LegalDocument = {
  path: '/privacy',
  title: 'Privacy statement',
  updated: '22 November 2026',
  intro:
    'Account engagement shows sellers how engaged each business customer is, computed from Microsoft 365 mail and calendar metadata. This page says what it reads, what it keeps, for how long, and whom to ask.',
  sections: [
    {
      heading: 'Who is responsible',
      body: [
        'Your organisation installs and runs Account engagement, and decides whose mailboxes it reads and which customer list it uses. Your organisation is therefore responsible for the data, and its Microsoft 365 administrator is your contact for any question or request about it, including access to or removal of data.',
      ],
    },
    {
      heading: 'What the app reads',
      body: [
        'Nothing is read until a Global Administrator of your organisation grants admin consent in Microsoft Entra ID. Then, through Microsoft Graph, the app reads only:',
        [
          'for the mailboxes an enrichment administrator selected: the metadata of messages (message and conversation ids, sender, recipients, sent and received times, whether it is a draft) and of calendar events (event id, organiser, attendees, start and end times, whether it was cancelled);',
          'the organisation’s verified domains, licences, and the users, groups and group members an administrator picks when choosing mailboxes;',
          'who the Global Administrators are, so the consent request can be mailed to them.',
        ],
        'The app never asks Microsoft Graph for, and never stores, a message subject, body, preview or attachment, or an event’s subject, body or location: it requests only the fields listed above. The permissions it uses (Mail.ReadBasic.All and Calendars.ReadBasic.All) do not give access to the body or attachments of any message or event at all.',
        'When an administrator asks the app to send the consent request, it sends that one email as the administrator (delegated Mail.Send).',
        'When an administrator turns on account alerts for an enrichment, the app looks up the owners named in the customer list’s owner column in your directory and, after each run, posts each owner one notification to their Microsoft Teams activity feed about their own accounts that went quiet, dropped in score or came back (application permission TeamsActivity.Send). Each person can mute their own alerts in the app.',
      ],
    },
    {
      heading: 'What the app stores',
      body: [
        'Everything is stored in the MongoDB database of the deployment your organisation uses, and every record carries your organisation’s tenant id so no other organisation can read it. Stored are:',
        [
          'the customer list your administrators import (accounts and their contacts’ addresses);',
          'each enrichment’s settings, including the selected mailboxes (their Microsoft Entra object ids and addresses) and the consent record;',
          'per customer account and period: counts of emails and meetings, the number of people involved on each side, days since the last email and meeting, average meeting length and reply time, and the engagement score;',
          'working counters the next run continues from: counts and times grouped by account, with conversations identified only by a one-way hash;',
          'for account alerts: each enrichment’s alert settings, which accounts each owner was alerted about for each run and whether Teams accepted it, the owners the last run could not reach (shown to administrators), and each person’s choice to mute their alerts.',
        ],
        'The app keeps no per-person activity: it never shows or exports how many emails or meetings an individual colleague had, and it stores no message or event identifiers, subjects or bodies.',
        'Small counts: a per-account week, month or year in which only one or two colleagues emailed or met a customer could still tell what those colleagues did. An administrator can set a privacy threshold for each enrichment (off by default; 2 to 10 colleagues). With it, such a period is published with its counts withheld — it reads “fewer than k colleagues involved” — and so is any other period from which the withheld figures could be worked out by subtraction. The withheld figures are never written to the published results, so no page, export, segment or measure can show or reconstruct them.',
      ],
    },
    {
      heading: 'How long it is kept',
      body: [
        'Each run’s results are kept with those of the runs just before it (the last 8 by default; the operator of the app can change the number) so that sellers see how an account’s engagement changed; when a run completes, results older than those are deleted, and so is the finished run’s working data. A failed or cancelled run’s data is deleted and the previous results stay.',
        'Deleting an enrichment deletes its results, runs, schedules and working data. Deleting a customer data set deletes its accounts and contacts. Your administrator can do both from the app at any time.',
      ],
    },
    {
      heading: 'Who sees it',
      body: [
        'People of your organisation who can open the app in Microsoft Teams see the per-account results. Only people with the EngagementAdmin role can import customer data and configure enrichments. The app sends no data to the publisher or to any third party, and it uses no advertising or tracking cookies.',
        'Service logs record request paths, status codes and error kinds; they never contain email addresses, message content or secrets.',
      ],
    },
    {
      heading: 'Questions and requests',
      body: [
        'Contact your organisation’s Microsoft 365 administrator. They can pause or delete an enrichment, remove customer data, and withdraw the app’s consent in the Microsoft Entra admin center (Enterprise applications, Account engagement), which stops all further reading.',
      ],
    },
  ],
};

export const termsOfUse: LegalDocument = {
  path: '/terms',
  title: 'Terms of use',
  updated: '22 November 2026',
  intro: 'These terms apply to everyone who uses Account engagement in Microsoft Teams, Outlook or the Microsoft 365 app.',
  sections: [
    {
      heading: 'The app',
      body: [
        'Account engagement estimates how engaged your organisation is with each business customer from Microsoft 365 mail and calendar metadata, as described in the privacy statement. Scores are relative indicators to help prioritise work; they are not a judgement of any person.',
      ],
    },
    {
      heading: 'Provided as is',
      body: [
        'The publisher provides the app as is and as available, without warranties of any kind, express or implied, including fitness for a particular purpose. The figures depend on the data your organisation supplies and on Microsoft 365; they may be incomplete or late, and the publisher is not liable for decisions made from them, to the extent the law allows.',
      ],
    },
    {
      heading: 'Your organisation’s responsibilities',
      body: [
        [
          'granting, reviewing and withdrawing the app’s admin consent in Microsoft Entra ID;',
          'having a lawful basis to import its customer data and to analyse the selected mailboxes’ metadata, and informing the people concerned as its policies and the law require;',
          'choosing who gets the EngagementAdmin role and which mailboxes each enrichment reads;',
          'keeping its customer data accurate and deleting enrichments and data it no longer needs.',
        ],
      ],
    },
    {
      heading: 'Acceptable use',
      body: [
        'Use the app only for your organisation’s customer relationships. Do not use it to monitor or evaluate individual employees, and do not try to read data of another organisation or to get around the app’s permissions.',
      ],
    },
    {
      heading: 'Changes and contact',
      body: [
        'These terms may change with new versions of the app; the date above says when they last did. Questions go to your organisation’s Microsoft 365 administrator, who deploys and runs the app.',
      ],
    },
  ],
};
