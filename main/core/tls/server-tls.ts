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
  if (tls === null) return { ok: true, value: null }
  try {
    if (tls === 'auto') {
      if (!deps.dataDir) {
        return {
          ok: false,
          errors: ['server.tls: "auto" needs a data folder to keep its certificate in'],
        }
      }
      const made = await autoCertificate(deps.dataDir, deps.log)
      return { ok: true, value: { ...made, fingerprint: certificateFingerprint(made.cert) } }
    }
    const [cert, key] = await Promise.all([
      readFile(tls.cert, 'utf8').catch((e: Error) => {
        throw new Error(`server.tls.cert: cannot read ${tls.cert} (${e.message})`)
      }),
      readFile(tls.key, 'utf8').catch((e: Error) => {
        throw new Error(`server.tls.key: cannot read ${tls.key} (${e.message})`)
      }),
    ])
    let fingerprint: string
    try {
      fingerprint = certificateFingerprint(cert)
    } catch (e) {
      throw new Error(
        `server.tls.cert: ${tls.cert} is not a PEM certificate (${(e as Error).message})`,
      )
    }
    return { ok: true, value: { cert, key, fingerprint } }
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] }
  }
}
