import { useEffect, useMemo, useState } from 'react'
import type { DeviceInfo, PortInfo } from '../../../common/engine-api'
import type { PortSettingsInput } from '../../../common/settings-schema'
import { SIM_DEMO_PATH } from '../../../common/sim-paths'
import type { EngineStateApi } from '../app-state/use-engine-state'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { outcomeOf, useAction } from '../shared/use-action'
import { DeviceList } from './device-list'
import { PortCard } from './port-card'
import { PortForm } from './port-form'
import { draftFromSettings, emptyDraft, type PortDraft } from './port-form-model'

/** The engine's simulated instrument; typed from the engine's constant, so they cannot drift. */

/** Counters refresh this often while the Ports view is on screen. */
const METRICS_POLL_MS = 1000

type FormState = { mode: 'add'; initial: PortDraft } | { mode: 'edit'; port: PortInfo } | null

export interface PortsViewProps {
  engine: EngineStateApi
  visible: boolean
  onShowStream: (portId: string) => void
  onShowPlot: (portId: string) => void
  onShowConnect: (portId: string) => void
}

export function PortsView({
  engine,
  visible,
  onShowStream,
  onShowPlot,
  onShowConnect,
}: PortsViewProps) {
  const bridge = useBridge()
  const { state, refreshDevices, refreshPorts } = engine
  const [form, setForm] = useState<FormState>(null)
  const [errors, setErrors] = useState<string[]>([])
  const page = useAction()
  const submit = useAction()
  const hasSim = state.ports.some((p) => p.path === SIM_DEMO_PATH)
  const configuredPaths = useMemo(() => new Set(state.ports.map((p) => p.path)), [state.ports])
  const anyOpen = state.ports.some((p) => p.state === 'open')

  useEffect(() => {
    if (!visible || !anyOpen) return
    const timer = setInterval(() => void refreshPorts().catch(() => {}), METRICS_POLL_MS)
    return () => clearInterval(timer)
  }, [visible, anyOpen, refreshPorts])

  const openForm = (next: FormState) => {
    setErrors([])
    submit.clear()
    setForm(next)
  }

  const save = async (input: PortSettingsInput) => {
    const editing = form?.mode === 'edit' ? form.port : null
    setErrors([])
    await submit.run(editing ? `Saving ${editing.id}…` : `Adding ${input.path}…`, async () => {
      const result = editing
        ? await bridge.updatePort(editing.id, input)
        : await bridge.addPort(input)
      if (!result.ok) {
        setErrors(result.errors)
        return { ok: false, text: 'Not saved: see the errors above.' }
      }
      setForm(null)
      const text = editing ? `${result.value.id} was saved` : `${result.value.id} was added`
      page.show({ kind: 'done', text })
      return { ok: true, text }
    })
  }

  const addSimulated = () =>
    page.run('Adding the simulated device…', async () => {
      // Its readings (`T=22.51,RH=45.2`) become numbers at once: the plot has curves to show.
      const added = await bridge.addPort({ path: SIM_DEMO_PATH, parse: { mode: 'keyValue' } })
      if (!added.ok) return { ok: false, text: added.errors.join('; ') }
      const opened =
        added.value.state === 'open' ? { ok: true as const } : await bridge.openPort(added.value.id)
      if (!opened.ok) return outcomeOf(opened, '')
      return { ok: true, text: `${added.value.id} is open: its readings appear under Stream` }
    })

  const openAll = () =>
    page.run('Opening all ports…', async () => {
      await bridge.openAllPorts()
      const ports = await bridge.listPorts()
      const open = ports.filter((p) => p.state === 'open').length
      return { ok: open === ports.length, text: `${open} of ${ports.length} ports are open` }
    })

  const closeAll = () =>
    page.run('Closing all ports…', async () => {
      await bridge.closeAllPorts()
      return { ok: true, text: 'All ports are closed' }
    })

  const setUpDevice = (device: DeviceInfo) =>
    openForm({ mode: 'add', initial: emptyDraft(device.path, device.serialNumber ?? '') })

  return (
    <div className="view ports-view">
      <div className="toolbar">
        {form === null && (
          <button
            type="button"
            className="primary"
            onClick={() => openForm({ mode: 'add', initial: emptyDraft() })}
          >
            Add port
          </button>
        )}
        {!hasSim && (
          <button type="button" onClick={() => void addSimulated()} disabled={page.busy}>
            Add simulated device
          </button>
        )}
        <button type="button" onClick={() => void openAll()} disabled={page.busy}>
          Open all
        </button>
        <button type="button" onClick={() => void closeAll()} disabled={page.busy}>
          Close all
        </button>
        <ActionMessage status={page.status} />
      </div>

      {form && (
        <PortForm
          key={form.mode === 'edit' ? `edit-${form.port.id}` : `add-${form.initial.path}`}
          editing={form.mode === 'edit' ? form.port.settings : undefined}
          initial={form.mode === 'edit' ? draftFromSettings(form.port.settings) : form.initial}
          status={submit.status}
          errors={errors}
          onSubmit={(result) => {
            if (result.ok) void save(result.input)
            else setErrors(result.errors)
          }}
          onCancel={() => openForm(null)}
        />
      )}

      <section aria-labelledby="ports-heading">
        <h2 id="ports-heading">Ports</h2>
        {state.ports.length === 0 ? (
          <div className="empty panel">
            <p>
              <strong>No ports yet.</strong> Try the simulated device first: it streams readings
              right away and answers <code>*IDN?</code>. Or add a real port by its path (COM3,
              /dev/ttyUSB0).
            </p>
          </div>
        ) : (
          <div className="port-list">
            {state.ports.map((port) => (
              <PortCard
                key={port.id}
                port={port}
                serverUrl={state.server?.url ?? null}
                token={state.settings?.server.token ?? null}
                onEdit={() => openForm({ mode: 'edit', port })}
                onShowStream={() => onShowStream(port.id)}
                onShowPlot={() => onShowPlot(port.id)}
                onShowConnect={() => onShowConnect(port.id)}
              />
            ))}
          </div>
        )}
      </section>

      <DeviceList
        devices={state.devices}
        error={state.deviceError}
        configuredPaths={configuredPaths}
        onRefresh={refreshDevices}
        onSetUp={setUpDevice}
      />
    </div>
  )
}
