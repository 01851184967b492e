import { createHash, generateKeyPairSync, randomBytes, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The simulator's token-signing material, persisted so tokens survive a restart. */
export interface SigningKeys {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWKS entry, shaped like Entra's (`kty`, `use`, `kid`, `x5t`, `n`, `e`). */
  publicJwk: Record<string, unknown>;
  /** HMAC secret for paging/delta tokens (opaque to clients, tamper-evident for us). */
  pagingSecret: Buffer;
}

interface StoredKeys {
  kid: string;
  privateKeyPem: string;
  pagingSecret: string;
}

function toSigningKeys(stored: StoredKeys): SigningKeys {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    kid: stored.kid,
    privateKey,
    publicKey,
    publicJwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid: stored.kid, x5t: stored.kid, n: jwk.n, e: jwk.e },
    pagingSecret: Buffer.from(stored.pagingSecret, 'base64'),
  };
}

export async function ensureSigningKeys(stateDir: string): Promise<SigningKeys> {
  const file = path.join(stateDir, 'signing-keys.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as StoredKeys;
    return toSigningKeys(stored);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // Entra's kids are base64url thumbprints; derive ours from the public key the same way.
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const kid = createHash('sha1').update(spki).digest('base64url');
  const stored: StoredKeys = { kid, privateKeyPem, pagingSecret: randomBytes(32).toString('base64') };
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
  return toSigningKeys(stored);
}
