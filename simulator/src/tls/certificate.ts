import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface SimulatorCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

const VALIDITY_YEARS = 10;
/** Renew a little before expiry so a long-lived dev machine never ends up with a dead cert. */
const RENEW_MARGIN_MS = 30 * 24 * 3600 * 1000;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isStillUsable(certPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return Date.parse(cert.validTo) - Date.now() > RENEW_MARGIN_MS;
  } catch {
    return false;
  }
}

/**
 * Loads `<dir>/cert.pem` and `<dir>/key.pem`, creating a self-signed pair the first time.
 * The certificate doubles as its own CA (basicConstraints CA:true) because clients trust it
 * through NODE_EXTRA_CA_CERTS, which only accepts CA certificates as trust anchors.
 */
export async function ensureSimulatorCertificate(dir: string): Promise<SimulatorCertificate> {
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  const [existingCert, existingKey] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
  if (existingCert && existingKey && isStillUsable(existingCert)) {
    return { certPath, keyPath, certPem: existingCert, keyPem: existingKey };
  }

  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_YEARS * 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Tenant Simulator (dev only)' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true });
  // Write the key first and privately: a cert without its key is useless, the reverse is re-made.
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return { certPath, keyPath, certPem: pems.cert, keyPem: pems.private };
}
