import { useId, useState } from 'react'
import type { MqttStatus, PortInfo } from '../../../common/engine-api'
import { mqttCountersText, mqttStateText } from '../../../common/mqtt-status'
import { MQTT_BADGE } from '../shared/mqtt-badge'
import type { Settings } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { CheckboxField } from '../shared/checkbox-field'
import { FormErrors } from '../shared/form-errors'
import { SelectField } from '../shared/select-field'
import { TextField } from '../shared/text-field'
import { useAction } from '../shared/use-action'
import { draftFromMqtt, draftToMqtt, type MqttDraft } from './mqtt-draft'
import { MqttTopics } from './mqtt-topics'

type Check = {
  [K in keyof MqttDraft]: MqttDraft[K] extends boolean ? K : never
}[keyof MqttDraft]

const CHECKS: ReadonlyArray<[Check, string]> = [
  ['frames', 'Lines (ports/{id}/rx)'],
  ['values', 'Numbers (ports/{id}/values)'],
  ['rejectUnauthorized', "Check the broker's certificate"],
  [
    'commands',
    'Accept commands (ports/{id}/write and /query): anyone who may publish on the broker can write to the instruments',
  ],
]

/** Settings → "Lab network (MQTT)": the broker this bridge publishes to (docs/mqtt.md). */
export function MqttSettingsForm({
  settings,
  status,
  ports,
}: {
  settings: Settings
  status: MqttStatus | null
  ports: PortInfo[]
}) {
  const bridge = useBridge()
  const save = useAction()
  const test = useAction()
  const id = useId()
  const [edited, setEdited] = useState<MqttDraft | null>(null)
  const [errors, setErrors] = useState<string[]>([])
  const [showPassword, setShowPassword] = useState(false)
  const draft = edited ?? draftFromMqtt(settings.mqtt)
  const set = <K extends keyof MqttDraft>(key: K, value: MqttDraft[K]) =>
    setEdited((d) => ({ ...(d ?? draftFromMqtt(settings.mqtt)), [key]: value }))
  const text = (key: keyof MqttDraft, field: string) => ({
    value: draft[key] as string,
    onChange: (v: string) => set(key, v as never),
    invalid: errors.some((e) => e.startsWith(`mqtt.${field}`)) || undefined,
  })

  const onSave = () =>
    save.run('Saving the MQTT settings…', async () => {
      const result = await bridge.updateMqttSettings(draftToMqtt(draft))
      if (!result.ok) {
        setErrors(result.errors)
        return { ok: false, text: 'Not saved: see the errors above.' }
      }
      setErrors([])
      setEdited(null)
      return {
        ok: true,
        text: draft.enabled
          ? 'Saved: the uplink connects with these settings'
          : 'Saved: the uplink is off',
      }
    })
  const onTest = () =>
    test.run(`Connecting to ${draft.url}…`, async () => {
      const result = await bridge.testMqtt({ ...draftToMqtt(draft), enabled: true })
      return { ok: result.ok, text: result.message }
    })

  const prefix = status?.topicPrefix ?? 'serial-bridge/…'
  return (
    <form
      className="panel mqtt-settings"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault()
        void onSave()
      }}
    >
      <h2 id={`${id}-h`}>Lab network (MQTT)</h2>
      <p className="muted">
        Publishes every port&apos;s lines, numbers and state to the lab&apos;s MQTT broker
        (Mosquitto, EMQX, HiveMQ), for dashboards and collectors anywhere on the network.
      </p>
      {status && (
        <p className="mqtt-state" role="status">
          <span className={`dot badge-${MQTT_BADGE[status.state]}`} /> {mqttStateText(status)}
          {status.state !== 'off' && <span className="muted"> · {mqttCountersText(status)}</span>}
        </p>
      )}
      {status?.commandsRefused && (
        <p className="note warning">Commands are off: {status.commandsRefused}.</p>
      )}
      <FormErrors errors={errors} />
      <fieldset className="checks">
        <legend className="sr-only">Uplink</legend>
        <CheckboxField
          label="Publish to the broker"
          checked={draft.enabled}
          onChange={(v) => set('enabled', v)}
        />
      </fieldset>
      <div className="form-grid">
        <TextField
          label="Broker URL"
          hint="mqtt://, mqtts:// (TLS), ws:// or wss://, e.g. mqtt://broker.lab:1883"
          className="wide"
          spellCheck={false}
          {...text('url', 'url')}
        />
        <TextField label="User name" autoComplete="off" {...text('username', 'username')} />
        <div className="field">
          <label className="field-label" htmlFor={`${id}-password`}>
            Password
          </label>
          <div className="inline">
            <input
              id={`${id}-password`}
              type={showPassword ? 'text' : 'password'}
              value={draft.password}
              autoComplete="off"
              onChange={(e) => set('password', e.target.value)}
            />
            <button type="button" onClick={() => setShowPassword(!showPassword)}>
              {showPassword ? 'Hide password' : 'Show password'}
            </button>
          </div>
        </div>
        <TextField
          label="Topic prefix"
          hint={`Empty: ${(settings.mqtt.topicPrefix === null && status?.topicPrefix) || 'serial-bridge/<this computer>'}`}
          spellCheck={false}
          {...text('topicPrefix', 'topicPrefix')}
        />
        <TextField
          label="Client id"
          hint={`Empty: ${(settings.mqtt.clientId === null && status?.clientId) || 'serial-bridge-<this computer>'}; one per bridge`}
          spellCheck={false}
          {...text('clientId', 'clientId')}
        />
        <SelectField
          label="Delivery (QoS)"
          value={draft.qos}
          onChange={(v) => set('qos', v)}
          options={[
            { value: '0', label: '0: at most once (fastest)' },
            { value: '1', label: '1: at least once (acknowledged)' },
          ]}
        />
        <SelectField
          label="MQTT version"
          value={draft.protocolVersion}
          onChange={(v) => set('protocolVersion', v)}
          options={[
            { value: '5', label: '5 (queries need it)' },
            { value: '4', label: '3.1.1' },
          ]}
        />
        <TextField
          label="CA certificate file (mqtts)"
          hint="PEM; for a broker with its own CA"
          {...text('ca', 'tls.ca')}
        />
        <TextField
          label="Client certificate file"
          hint="PEM, if the broker asks for one"
          {...text('cert', 'tls.cert')}
        />
        <TextField label="Client key file" {...text('key', 'tls.key')} />
      </div>
      <fieldset className="checks">
        <legend>What is published and allowed</legend>
        {CHECKS.map(([key, label]) => (
          <CheckboxField
            key={key}
            label={label}
            checked={draft[key]}
            onChange={(v) => set(key, v)}
          />
        ))}
        {draft.commands && (
          <CheckboxField
            label="…even without a user name or client certificate (not recommended)"
            checked={draft.commandsWithoutAuthentication}
            onChange={(v) => set('commandsWithoutAuthentication', v)}
          />
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.busy}>
          Save MQTT settings
        </button>
        <button type="button" onClick={() => void onTest()} disabled={test.busy}>
          Test connection
        </button>
        <ActionMessage status={test.status ?? save.status} />
      </div>
      <MqttTopics prefix={prefix} ports={ports} commands={settings.mqtt.commands} />
    </form>
  )
}
