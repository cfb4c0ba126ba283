import { createPrivateKey, X509Certificate } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { hostname, networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import writeFileAtomic from 'write-file-atomic'

/** Apple's limit for any TLS server certificate, trusted by a person or not. */
const VALID_DAYS = 825
/** Made anew this close to its end; the fingerprint changes then, and the log says so. */
const RENEW_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

export interface CertificateFiles {
  cert: string
  key: string
}

/** Where `server.tls: "auto"` keeps its certificate, in the folder the host gives. */
export function autoCertificatePaths(dataDir: string): CertificateFiles {
  const dir = join(dataDir, 'tls')
  return { cert: join(dir, 'server-cert.pem'), key: join(dir, 'server-key.pem') }
}

/** This machine's names and addresses, all of them: lab PCs are reached by IP as often as by name. */
export function machineNames(): { dns: string[]; ips: string[] } {
  const ips = new Set<string>()
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) ips.add(a.address)
  }
  ips.add('127.0.0.1')
  ips.add('::1')
  return { dns: [...new Set([hostname(), 'localhost'])], ips: [...ips] }
}

/**
 * The self-signed certificate of `server.tls: "auto"`: read from the data folder when one is
 * there and still good, made (and saved) otherwise, so its fingerprint survives restarts and
 * clients can pin it.
 */
export async function autoCertificate(
  dataDir: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): Promise<{ cert: string; key: string }> {
  const paths = autoCertificatePaths(dataDir)
  const kept = await readKept(paths, now)
  if (kept.ok) return kept.value
  if (kept.reason) log(`tls: ${kept.reason}; making a new certificate (its fingerprint is new)`)
  const names = machineNames()
  const notBeforeDate = new Date(now() - DAY_MS)
  const pems = await generate([{ name: 'commonName', value: names.dns[0]! }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(now() + VALID_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.dns.map((value) => ({ type: 2 as const, value })),
          ...names.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  })
  await mkdir(join(dataDir, 'tls'), { recursive: true })
  await writeFileAtomic(paths.key, pems.private, { mode: 0o600 })
  await writeFileAtomic(paths.cert, pems.cert)
  log(`tls: made a self-signed certificate in ${paths.cert}`)
  return { cert: pems.cert, key: pems.private }
}

type Kept = { ok: true; value: { cert: string; key: string } } | { ok: false; reason?: string }

async function readKept(paths: CertificateFiles, now: () => number): Promise<Kept> {
  let cert: string
  let key: string
  try {
    ;[cert, key] = await Promise.all([readFile(paths.cert, 'utf8'), readFile(paths.key, 'utf8')])
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false }
    return { ok: false, reason: `cannot read ${paths.cert}: ${(error as Error).message}` }
  }
  try {
    const x509 = new X509Certificate(cert)
    if (!x509.checkPrivateKey(createPrivateKey(key))) {
      return { ok: false, reason: `${paths.key} is not the key of ${paths.cert}` }
    }
    if (Date.parse(x509.validTo) - now() < RENEW_DAYS * DAY_MS) {
      return { ok: false, reason: `${paths.cert} ends on ${x509.validTo}` }
    }
  } catch (error) {
    return {
      ok: false,
      reason: `${paths.cert} is not a usable certificate (${(error as Error).message})`,
    }
  }
  return { ok: true, value: { cert, key } }
}
