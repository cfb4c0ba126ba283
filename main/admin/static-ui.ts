import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream'
import { UI_PATH } from '../../common/admin-wire'
import type { ServerExtension } from '../core/server/bridge-server'
import type { FaultLog } from '../core/fault-log'
import { answerFault } from '../core/server/refusal'
import { findStaticFile } from './static-files'

/** Serves the built renderer (`out/renderer`) at `/app/` over HTTP (see static-files). */
export function serveStaticUi(root: string, logFault: FaultLog): ServerExtension {
  return {
    http(req, res, { path }) {
      if (path === UI_PATH.slice(0, -1)) {
        res.writeHead(301, { location: UI_PATH }).end()
        return true
      }
      if (!path.startsWith(UI_PATH)) return false
      void findStaticFile(root, path.slice(UI_PATH.length), req.method)
        .then((answer) => {
          if (answer.status !== 200)
            return void res.writeHead(answer.status, answer.headers).end(answer.body)
          res.writeHead(200, { ...answer.headers, 'content-length': String(answer.size) })
          if (req.method === 'HEAD') return void res.end()
          // A file that vanishes or fails mid-read cuts this one response short.
          pipeline(createReadStream(answer.file), res, () => undefined)
        })
        .catch((error: unknown) => {
          logFault(`serving ${path}`, error)
          answerFault(res)
        })
      return true
    },
  }
}
