import { useId, useState } from 'react'
import type { Settings, SettingsInput } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { plural } from '../shared/format-number'
import { errorText, useAction, type Outcome } from '../shared/use-action'
import { confirmAfterRestart } from './confirm-after-restart'

/** The settings as one JSON file, the same format as headless mode's --config file. */
export function SettingsFileSection() {
  const bridge = useBridge()
  const action = useAction()
  const [errors, setErrors] = useState<string[]>([])
  const [includePassword, setIncludePassword] = useState(false)
  const fileId = useId()

  const exportFile = () =>
    action.run('Exporting settings…', async () => {
      const json = await bridge.exportSettings({ includePassword })
      const where = await bridge.saveText('serial-bridge-settings.json', json)
      return where === null
        ? { ok: true, text: 'Export cancelled' }
        : { ok: true, text: `Settings saved to ${where}` }
    })

  const importFile = (file: File) =>
    action.run(`Importing ${file.name}…`, async () => {
      setErrors([])
      let input: SettingsInput
      try {
        input = JSON.parse(await file.text()) as SettingsInput
      } catch (e) {
        return { ok: false, text: `${file.name} is not a JSON file: ${errorText(e)}` }
      }
      const done = (settings: Settings): Outcome => {
        const imported = `Imported ${file.name}: ${plural(settings.ports.length, 'port')}`
        const { host, port } = settings.server
        const asked = input.server ?? {}
        // The engine keeps the old address when the file's cannot be bound; the status bar says why.
        const kept =
          (asked.port !== undefined && asked.port !== port) ||
          (asked.host !== undefined && asked.host !== host)
        return {
          ok: true,
          text: kept
            ? `${imported}. Its server address could not be used, so ${host}:${port} was kept: see the status bar.`
            : imported,
        }
      }
      return confirmAfterRestart(
        bridge,
        () => bridge.importSettings(input),
        (result) => {
          if (result.ok) return done(result.value)
          setErrors(result.errors)
          return { ok: false, text: `${file.name} was not imported: see the errors` }
        },
        (now) => {
          const ids = (input.ports ?? []).map((p) => p.id ?? null)
          const same =
            ids.length === now.ports.length &&
            ids.every((id, i) => id === null || id === now.ports[i]!.id)
          return same
            ? done(now)
            : { ok: false, text: `${file.name} was not imported: the settings in force are shown` }
        },
        action.progress,
      )
    })

  return (
    <section className="panel" aria-labelledby="file-heading">
      <h2 id="file-heading">Settings file</h2>
      <p className="muted">
        Export the settings to set up other lab PCs, or to run headless mode with{' '}
        <code>--config</code>. Importing replaces all settings and ports.
      </p>
      <div className="inline">
        <button type="button" onClick={() => void exportFile()} disabled={action.busy}>
          Export settings
        </button>
        <label>
          <input
            type="checkbox"
            checked={includePassword}
            onChange={(e) => setIncludePassword(e.target.checked)}
          />
          Include the MQTT password
        </label>
      </div>
      <div className="field">
        <label htmlFor={fileId} className="field-label">
          Import settings file
        </label>
        <input
          id={fileId}
          type="file"
          accept=".json,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file) void importFile(file)
          }}
        />
      </div>
      {errors.length > 0 && (
        <div role="alert" className="form-errors">
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <ActionMessage status={action.status} />
    </section>
  )
}
