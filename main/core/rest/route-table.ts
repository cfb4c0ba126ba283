import type { RestRoute } from './rest-route'

export type RouteLookup =
  | { kind: 'found'; route: RestRoute; params: Record<string, string> }
  /** The path exists with other methods (405, or a preflight's answer). */
  | { kind: 'methods'; methods: string[] }
  | { kind: 'none' }

interface Compiled {
  route: RestRoute
  pattern: RegExp
  names: string[]
}

/** The routes by path and method; `{name}` in a path matches one segment. */
export class RouteTable {
  private readonly compiled: Compiled[]

  constructor(readonly routes: readonly RestRoute[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = []
      const source = route.path
        .split('/')
        .map((part) => {
          const param = /^\{(\w+)\}$/.exec(part)
          if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          names.push(param[1]!)
          return '([^/]+)'
        })
        .join('/')
      return { route, pattern: new RegExp(`^${source}$`), names }
    })
  }

  /** `path` is decoded and relative to /api/v1 (`/ports/meter`). */
  find(method: string, path: string): RouteLookup {
    const methods: string[] = []
    for (const { route, pattern, names } of this.compiled) {
      const match = pattern.exec(path)
      if (!match) continue
      if (route.method !== method) {
        methods.push(route.method)
        continue
      }
      const params = Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]))
      return { kind: 'found', route, params }
    }
    return methods.length > 0 ? { kind: 'methods', methods } : { kind: 'none' }
  }
}
