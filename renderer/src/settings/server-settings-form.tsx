import { useId, useState } from 'react'
import { restartNeeded } from '../../../common/contract'
import type { ServerStatus } from '../../../common/engine-api'
import type { ServerSettings, Settings } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { CopyButton } from '../shared/copy-button'
import { Field } from '../shared/field'
import { FormErrors } from '../shared/form-errors'
import { TextField } from '../shared/text-field'
import { useAction } from '../shared/use-action'
import { confirmAfterRestart } from './confirm-after-restart'
import { isLoopbackHost } from '../../../common/loopback'
import {
  LAN_HOST,
  LOCAL_HOST,
  draftFromServer,
  differentFields,
  draftToServer,
  fieldLabel,
  sameServer,
  type ServerDraft,
} from './server-draft'

/** Who may connect, on which port, with which token, and the server's limits. */
export function ServerSettingsForm({
  settings,
  server,
}: {
  settings: Settings
  server: ServerStatus | null
}) {
  const bridge = useBridge()
  const action = useAction(settings.server)
  // Only the fields the user typed in; every other field shows the settings in force, so a
  // change made elsewhere (an import, "Allow this origin", the file edited by hand) shows at
  // once and a Save never puts an old value back.
  const [edits, setEdits] = useState<{ fields: Partial<ServerDraft>; base: ServerSettings } | null>(
    null,
  )
  const draft: ServerDraft = { ...draftFromServer(settings.server), ...edits?.fields }
  const dirty = edits !== null
  const changedUnder = edits !== null && !sameServer(edits.base, settings.server)
  const [errors, setErrors] = useState<string[]>([])
  const [showToken, setShowToken] = useState(false)
  const namedTokens = settings.server.tokens.length
  const update = dirty ? draftToServer(draft, namedTokens) : null
  const restarts = update?.ok === true && restartNeeded(settings.server, update.value)
  const moves =
    update?.ok === true &&
    (update.value.port !== settings.server.port || update.value.host !== settings.server.host)
  const id = useId()
  const local = isLoopbackHost(draft.host)
  /** The lab network needs a token: this one, unless a named token is there. */
  const required = !local && namedTokens === 0

  const set = <K extends keyof ServerDraft>(key: K, value: ServerDraft[K]) =>
    setEdits((e) => ({ fields: { ...e?.fields, [key]: value }, base: e?.base ?? settings.server }))
  const discard = () => {
    setEdits(null)
    setErrors([])
  }
  const invalid = (field: string) =>
    errors.some((e) => e.startsWith(`server.${field}`)) || undefined
  /** A text field's value and change handler, and whether an error names it. */
  const bind = (key: keyof ServerDraft, errorField: string = key) => ({
    value: draft[key],
    onChange: (value: string) => set(key, value),
    invalid: invalid(errorField),
  })

  const save = () =>
    action.run('Saving settings…', async () => {
      const update = draftToServer(draft, namedTokens)
      if (!update.ok) {
        setErrors(update.errors)
        return { ok: false, text: 'Not saved: see the errors above.' }
      }
      const asked = update.value
      return confirmAfterRestart(
        bridge,
        () => bridge.updateServerSettings(asked),
        (result) => {
          if (!result.ok) {
            setErrors(result.errors)
            return { ok: false, text: 'Not saved: see the errors above.' }
          }
          discard()
          return { ok: true, text: 'Settings saved' }
        },
        (now) => {
          const missing = differentFields(asked, now.server)
          if (missing.length > 0) {
            return {
              ok: false,
              text: `The server restarted and did not keep: ${missing.join(', ')}. The form shows your values; the status bar may say why.`,
            }
          }
          discard()
          return { ok: true, text: 'Settings saved; the server restarted to apply them' }
        },
        action.progress,
      )
    })

  const generate = () =>
    action.run('Generating a token…', async () => {
      const token = await bridge.generateToken()
      set('token', token)
      setShowToken(true)
      return { ok: true, text: 'New token generated: press Save settings to use it' }
    })
  /** The lab network's recommended pair: a new token, and TLS so it never travels in clear. */
  const secure = () =>
    action.run('Generating a token…', async () => {
      const token = draft.token || (await bridge.generateToken())
      setEdits((e) => ({
        fields: { ...e?.fields, token, tls: 'auto' },
        base: e?.base ?? settings.server,
      }))
      setShowToken(true)
      return { ok: true, text: 'A token and automatic TLS: press Save settings to use them' }
    })

  return (
    <form
      className="panel"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <h2 id={`${id}-h`}>Server</h2>
      <FormErrors errors={errors} />
      <fieldset>
        <legend>Who may connect</legend>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-access`}
            checked={local}
            onChange={() => set('host', LOCAL_HOST)}
          />
          This computer only <span className="muted">(127.0.0.1, recommended)</span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-access`}
            checked={!local}
            onChange={() => set('host', LAN_HOST)}
          />
          The lab network <span className="muted">(all network interfaces)</span>
        </label>
        {!local && (
          <p className="note" id={`${id}-lan`}>
            Other computers on the network can reach the server, so it requires a token: every tool
            must add <code>?token=…</code> to its URL. Windows may ask to allow the app through the
            firewall.
            {draft.host !== LAN_HOST && <> Bound to {draft.host}.</>}
          </p>
        )}
        {!local && (draft.tls === 'none' || !draft.token) && (
          <p className="note">
            Recommended for the lab network: a token and TLS together.{' '}
            <button type="button" onClick={() => void secure()}>
              Use a token and TLS
            </button>
          </p>
        )}
        {!local && draft.tls === 'none' && (
          <p className="note warning">
            Without TLS the token travels in clear text: anyone who can watch the network can read
            it, and the data.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>TLS (https and wss)</legend>
        {(
          [
            ['none', 'None (ws://)'],
            ['auto', 'Automatic: a self-signed certificate made by this computer'],
            ['files', 'Certificate files (PEM)'],
          ] as const
        ).map(([value, label]) => (
          <label className="radio" key={value}>
            <input
              type="radio"
              name={`${id}-tls`}
              checked={draft.tls === value}
              onChange={() => set('tls', value)}
            />
            {label}
          </label>
        ))}
        {draft.tls === 'files' && (
          <div className="form-grid">
            <TextField label="Certificate file" {...bind('tlsCert', 'tls.cert')} />
            <TextField label="Key file" {...bind('tlsKey', 'tls.key')} />
          </div>
        )}
        {server?.fingerprint && (
          <p className="note">
            Clients pin this certificate by its SHA-256 fingerprint (the Connect snippets do):{' '}
            <code className="fingerprint" aria-label="Certificate fingerprint">
              {server.fingerprint}
            </code>{' '}
            <CopyButton text={server.fingerprint} label="certificate fingerprint" />
          </p>
        )}
      </fieldset>
      <div className="form-grid">
        <TextField label="Port number" inputMode="numeric" {...bind('port')} />
        <TextField label="Max clients" inputMode="numeric" {...bind('maxClients')} />
        <div className="field token-field wide">
          <label className="field-label" htmlFor={`${id}-token`}>
            Token{required && ' (required)'}
          </label>
          <div className="inline">
            <input
              id={`${id}-token`}
              type={showToken ? 'text' : 'password'}
              value={draft.token}
              autoComplete="off"
              spellCheck={false}
              aria-required={required}
              aria-invalid={invalid('token')}
              aria-describedby={local ? `${id}-token-hint` : `${id}-lan ${id}-token-hint`}
              onChange={(e) => set('token', e.target.value)}
            />
            <button type="button" onClick={() => setShowToken(!showToken)}>
              {showToken ? 'Hide token' : 'Show token'}
            </button>
            <button type="button" onClick={() => void generate()}>
              Generate
            </button>
            {draft.token && <CopyButton text={draft.token} label="token" />}
          </div>
          <span className="hint" id={`${id}-token-hint`}>
            {local
              ? 'Optional on this computer only; at least 8 characters.'
              : 'At least 8 characters.'}
          </span>
        </div>
        <Field
          label="Allowed web page origins (one per line)"
          hint="Programs (Python, Node.js) send no origin and are not affected."
          className="wide"
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={draft.allowedOrigins}
              placeholder="http://localhost:3000"
              onChange={(e) => set('allowedOrigins', e.target.value)}
              aria-invalid={invalid('allowedOrigins')}
            />
          )}
        </Field>
        <TextField label="Heartbeat (seconds)" inputMode="decimal" {...bind('heartbeatSeconds')} />
        <TextField
          label="Client buffer (KiB)"
          hint="A slow client loses data beyond this."
          inputMode="numeric"
          {...bind('clientBufferKiB', 'clientBufferBytes')}
        />
      </div>
      {changedUnder && (
        <p className="note" role="status">
          The settings in force changed while you were editing (an import, another window, or the
          file edited by hand). The fields you did not touch show the new values; yours (
          {Object.keys(edits.fields).map(fieldLabel).join(', ')}) are kept until you save or undo.
        </p>
      )}
      {restarts && (
        <p className="note" id={`${id}-restart`}>
          Saving restarts the server: every connected tool is disconnected and has to connect again
          {moves ? ' at the new address' : ''}.
          {moves &&
            bridge.kind === 'web' &&
            ' This page is served by Serial Bridge too: open it again at the new address.'}
          {moves && ' If the new address cannot be used, the old one is kept.'}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy}
          aria-describedby={restarts ? `${id}-restart` : undefined}
        >
          Save settings
        </button>
        {dirty && (
          <button type="button" onClick={discard}>
            Undo changes
          </button>
        )}
        <ActionMessage status={action.status} />
      </div>
    </form>
  )
}
