import type { Settings } from '../../../common/settings-schema'

/**
 * `--port N`: listen on N for this run while the file keeps its own `server.port`. A port
 * changed in the UI replaces the override and is saved like any other change.
 */
export interface PortOverride {
  /** The file's settings as the engine runs them. */
  toRunning(fromFile: Settings): Settings
  /** The engine's settings as the file keeps them. */
  toFile(running: Settings): Settings
}

export function portOverride(port: number | null, filePort: number): PortOverride {
  let override = port
  let kept = filePort
  const withPort = (s: Settings, p: number): Settings => ({
    ...s,
    server: { ...s.server, port: p },
  })
  return {
    toRunning(fromFile) {
      if (override === null) return fromFile
      kept = fromFile.server.port
      return withPort(fromFile, override)
    },
    toFile(running) {
      if (override === null) return running
      if (running.server.port === override) return withPort(running, kept)
      override = null
      return running
    },
  }
}
