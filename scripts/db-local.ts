/**
 * `npm run db:local`: serves a local FerretDB (SQLite backend) on a free loopback port until
 * stopped, printing `MONGODB_URI=…` so other shells and CI can use it. With `--uri-file F`
 * the URI is also written to F once the server is ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startFerretDb } from './lib/ferretdb';

const args = process.argv.slice(2);
const uriFile = args.includes('--uri-file') ? args[args.indexOf('--uri-file') + 1] : undefined;
const dataDir = args.includes('--data') ? args[args.indexOf('--data') + 1]! : '.data/db-local';

const db = await startFerretDb(path.resolve(dataDir));
console.log(`MONGODB_URI=${db.uri}`);
if (uriFile) fs.writeFileSync(uriFile, `${db.uri}\n`);

const stop = () => void db.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
