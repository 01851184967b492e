/**
 * Word lists the synthetic directory and customer dataset draw from. Plain data; the
 * generators decide how to combine them. Names are common given names and surnames from
 * several regions so the directory looks like an international company.
 */

export const GIVEN_NAMES = [
  'Adele', 'Aiko', 'Alex', 'Amara', 'Ana', 'Andre', 'Anika', 'Arjun', 'Ben', 'Bianca',
  'Carlos', 'Chen', 'Chloe', 'Daniel', 'Dara', 'Diego', 'Elena', 'Emeka', 'Emma', 'Farah',
  'Felix', 'Fatima', 'Gabriel', 'Grace', 'Hana', 'Hugo', 'Ines', 'Isaac', 'Ivan', 'Jade',
  'James', 'Jana', 'Joao', 'Jonas', 'Julia', 'Kai', 'Karim', 'Keiko', 'Lars', 'Laura',
  'Leila', 'Liam', 'Lucia', 'Maya', 'Marco', 'Maria', 'Mateo', 'Mei', 'Nadia', 'Nia',
  'Noah', 'Olga', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Ruth', 'Sam', 'Sara', 'Sofia',
  'Tariq', 'Tess', 'Tomas', 'Uma', 'Victor', 'Wen', 'Yara', 'Yusuf', 'Zara', 'Zoe',
] as const;

export const SURNAMES = [
  'Abara', 'Adams', 'Alvarez', 'Andersen', 'Bauer', 'Becker', 'Bianchi', 'Brooks', 'Campbell', 'Carvalho',
  'Chen', 'Costa', 'Dubois', 'Duarte', 'Eriksen', 'Evans', 'Fischer', 'Fontaine', 'Garcia', 'Gupta',
  'Haddad', 'Hansen', 'Hughes', 'Ivanova', 'Jansen', 'Johnson', 'Kato', 'Khan', 'Kim', 'Kowalski',
  'Larsen', 'Lee', 'Lopez', 'Martin', 'Meyer', 'Moreau', 'Nakamura', 'Nguyen', 'Novak', 'Okafor',
  'Olsen', 'Patel', 'Pereira', 'Petrov', 'Quinn', 'Reyes', 'Rossi', 'Santos', 'Schmidt', 'Silva',
  'Singh', 'Sato', 'Taylor', 'Tanaka', 'Torres', 'Umar', 'Varga', 'Walsh', 'Weber', 'Wright',
  'Xu', 'Yamada', 'Young', 'Zhang', 'Zielinski', "O'Brien", 'Van Dijk', 'De Luca', 'Mbeki', 'Nowak',
] as const;

/** Internal departments with their job titles and how likely a user is to be in them. */
export const DEPARTMENTS: ReadonlyArray<{ name: string; weight: number; titles: readonly string[]; accountAffinity: number }> = [
  {
    name: 'Sales',
    weight: 40,
    titles: ['Account Executive', 'Senior Account Executive', 'Sales Development Representative', 'Regional Sales Manager', 'Sales Engineer'],
    accountAffinity: 3,
  },
  { name: 'Customer Success', weight: 15, titles: ['Customer Success Manager', 'Support Engineer', 'Implementation Consultant'], accountAffinity: 2 },
  { name: 'Marketing', weight: 12, titles: ['Marketing Manager', 'Field Marketing Specialist', 'Product Marketing Manager'], accountAffinity: 0.6 },
  { name: 'Engineering', weight: 15, titles: ['Software Engineer', 'Engineering Manager', 'Solutions Architect'], accountAffinity: 0.5 },
  { name: 'Finance', weight: 6, titles: ['Financial Analyst', 'Controller', 'Billing Specialist'], accountAffinity: 0.5 },
  { name: 'Operations', weight: 6, titles: ['Operations Manager', 'Office Manager'], accountAffinity: 0.3 },
  { name: 'IT', weight: 6, titles: ['IT Administrator', 'Systems Engineer'], accountAffinity: 0.2 },
];

export const SALES_REGIONS = [
  { key: 'na', name: 'North America', weight: 5 },
  { key: 'emea', name: 'EMEA', weight: 3 },
  { key: 'apac', name: 'APAC', weight: 2 },
] as const;

export const COMPANY_PREFIXES = [
  'Alpine', 'Amber', 'Apex', 'Aurora', 'Beacon', 'Birch', 'Blue Harbor', 'Bright', 'Cedar', 'Cobalt',
  'Coral', 'Crescent', 'Crimson', 'Delta', 'Ember', 'Evergreen', 'Falcon', 'Fjord', 'Golden Gate', 'Granite',
  'Harbor', 'Highland', 'Horizon', 'Iron Bridge', 'Juniper', 'Keystone', 'Lakeside', 'Lantern', 'Maple', 'Meridian',
  'Northwind', 'Oakridge', 'Orchid', 'Pacific', 'Pinnacle', 'Polar', 'Prairie', 'Quarry', 'Redwood', 'Riverbend',
  'Sable', 'Sapphire', 'Silverline', 'Solstice', 'Summit', 'Sunrise', 'Tamarack', 'Terra', 'Tidewater', 'Trinity',
  'Union', 'Valley', 'Vantage', 'Verdant', 'Willow', 'Windmill', 'Woodland', 'Zenith', 'Bluebird', 'Copper',
] as const;

export const COMPANY_CORES = [
  'Analytics', 'Biotech', 'Brewing', 'Builders', 'Capital', 'Chemicals', 'Clinics', 'Consulting', 'Dynamics', 'Energy',
  'Engineering', 'Foods', 'Freight', 'Furniture', 'Health', 'Hotels', 'Industries', 'Insurance', 'Labs', 'Logistics',
  'Machinery', 'Manufacturing', 'Media', 'Metals', 'Mining', 'Motors', 'Networks', 'Outfitters', 'Packaging', 'Pharma',
  'Plastics', 'Properties', 'Publishing', 'Retail', 'Robotics', 'Shipping', 'Software', 'Systems', 'Textiles', 'Travel',
] as const;

/** Legal suffixes; some contain a comma so the CSV writer must quote the name. */
export const COMPANY_SUFFIXES = ['', '', '', 'Inc.', 'Ltd', 'GmbH', 'S.A.', ', Inc.', ', LLC', 'Group', 'Co.', 'AG'] as const;

export const INDUSTRIES = [
  'Manufacturing', 'Healthcare', 'Financial Services', 'Retail', 'Logistics', 'Energy', 'Education',
  'Hospitality', 'Media', 'Technology', 'Construction', 'Pharmaceuticals', 'Agriculture', 'Public Sector',
] as const;

export const ACCOUNT_COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'SE', 'BR', 'MX', 'JP', 'AU', 'IN'] as const;

/** Customer-side job titles; a few contain commas or quotes to exercise CSV quoting. */
export const CONTACT_TITLES = [
  'Procurement Manager', 'VP, Procurement', 'Chief Information Officer', 'IT Director', 'Head of Operations',
  'Finance Director', 'Purchasing Agent', 'Plant Manager', 'Director, Supply Chain', 'Chief Executive Officer',
  'Operations Analyst', 'Facilities Manager', 'Category Manager', 'Project Lead "Phoenix"', 'Office Manager',
] as const;

/** Mail providers and firms unrelated to any account: senders nobody should match. */
export const UNKNOWN_SENDER_DOMAINS = [
  'mailbox-free.example', 'inboxly.example', 'consultants-guild.example.org', 'freelance-hub.example.net',
  'city-chamber.example.org', 'trade-press.example.com',
] as const;

/** Third parties that write to a customer and to us at the same time (events, partners). */
export const THIRD_PARTY_SENDERS = [
  { name: 'Industry Summit Team', address: 'events@industry-summit.example.org' },
  { name: 'Channel Alliance', address: 'partners@channel-alliance.example.net' },
  { name: 'Jordan Ellis', address: 'jordan.ellis@recruit-partners.example.com' },
  { name: 'Trade Fair Office', address: 'office@tradefair.example.org' },
] as const;

/** Automatic senders at SaaS tools (not account domains). */
export const TOOL_NOTIFIERS = [
  { name: 'Ticketing', address: 'notifications@helpdesk-tool.example.com' },
  { name: 'Expense Tool', address: 'no-reply@expenses.example.net' },
  { name: 'Mail Delivery System', address: 'mailer-daemon@relay.example.net' },
] as const;

/** Local parts of automatic senders at account domains. */
export const AUTOMATIC_LOCAL_PARTS = ['noreply', 'no-reply', 'notifications', 'notification', 'donotreply', 'do-not-reply', 'bounce-ops', 'postmaster'] as const;

/** Local parts of automatic addresses that a customer list maps as a contact of the account. */
export const MAPPED_AUTOMATIC_LOCAL_PARTS = ['no-reply', 'postmaster', 'notifications', 'donotreply'] as const;

export const ROOM_NAMES = ['Adams', 'Baltic', 'Cascade', 'Denali', 'Everest', 'Fuji'] as const;

export const ACCOUNT_MAIL_TOPICS = [
  'Renewal discussion', 'Pricing proposal', 'Follow-up on the product demo', 'Contract amendment', 'Onboarding plan',
  'Quarterly business review', 'Support escalation', 'Invoice question', 'Pilot results', 'Security questionnaire',
  'Roadmap preview', 'Reference call request', 'Order confirmation', 'Implementation timeline',
] as const;

export const INTERNAL_MAIL_TOPICS = [
  'Pipeline review', 'Team offsite', 'Forecast numbers', 'Travel approval', 'Deal desk request', 'Weekly update',
  'Hiring loop feedback', 'Quota planning', 'Customer escalation notes', 'Lunch on Friday',
] as const;

export const MEETING_TOPICS = [
  'Discovery call', 'Product demo', 'Quarterly business review', 'Contract negotiation', 'Technical deep dive',
  'Onboarding kickoff', 'Status check-in', 'Executive briefing', 'Workshop', 'Renewal planning',
] as const;

export const INTERNAL_MEETING_TOPICS = ['Team sync', 'One-on-one', 'Pipeline review', 'Planning session', 'Retrospective', 'All hands prep'] as const;

export const BODY_SENTENCES = [
  'Thanks for the time earlier this week.',
  'Please find the details we discussed below.',
  'Could you confirm the dates that work for your team?',
  'I have attached the latest version for your review.',
  'Happy to set up a call if that is easier.',
  'Let me know if anything is unclear.',
  'We are on track for the timeline we agreed on.',
  'I will circle back once I hear from finance.',
] as const;
