import { readFile } from 'node:fs/promises'
import type { ServerTls } from '../../../common/settings-schema'
import type { Result } from '../../../common/validation'
import { autoCertificate } from './auto-certificate'
import { certificateFingerprint } from './fingerprint'

/** What an https listener needs, and what clients pin. */
export interface TlsMaterial {
  cert: string
  key: string
  fingerprint: string
}

/**
 * `server.tls` as PEM text: null for none, the self-signed certificate for "auto" (kept in the
 * host's data folder), or the files named. A file that cannot be used is an error naming it.
 */
export async function loadServerTls(
  tls: ServerTls | null,
  deps: { dataDir?: string; log(line: string): void },
): Promise<Result<TlsMaterial | null>> {
  const fail = (error: string): Result<never> => ({ ok: false, errors: [error] })
  if (tls === null) return { ok: true, value: null }
  if (tls === 'auto') {
    if (!deps.dataDir)
      return fail('server.tls: "auto" needs a data folder to keep its certificate in')
    try {
      const made = await autoCertificate(deps.dataDir, deps.log)
      return { ok: true, value: { ...made, fingerprint: certificateFingerprint(made.cert) } }
    } catch (error) {
      return fail(
        `server.tls: cannot keep a certificate in ${deps.dataDir} (${(error as Error).message})`,
      )
    }
  }
  const read = (field: 'cert' | 'key'): Promise<string | Error> =>
    readFile(tls[field], 'utf8').catch(
      (e: Error) => new Error(`server.tls.${field}: cannot read ${tls[field]} (${e.message})`),
    )
  const [cert, key] = await Promise.all([read('cert'), read('key')])
  if (cert instanceof Error) return fail(cert.message)
  if (key instanceof Error) return fail(key.message)
  try {
    return { ok: true, value: { cert, key, fingerprint: certificateFingerprint(cert) } }
  } catch (error) {
    return fail(
      `server.tls.cert: ${tls.cert} is not a PEM certificate (${(error as Error).message})`,
    )
  }
}
