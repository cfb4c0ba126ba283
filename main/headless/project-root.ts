import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The folder with package.json above this module, whether it runs from source or from the bundle in out/. */
export function projectRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}
