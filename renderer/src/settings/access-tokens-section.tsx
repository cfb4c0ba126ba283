import { useId, useState } from 'react'
import type { AccessToken, Settings } from '../../../common/settings-schema'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { CheckboxField } from '../shared/checkbox-field'
import { CopyButton } from '../shared/copy-button'
import { DataTable } from '../shared/data-table'
import { FormErrors } from '../shared/form-errors'
import { TextField } from '../shared/text-field'
import { useAction } from '../shared/use-action'

const TOKEN_COLUMNS = ['Name', 'Token', 'May']

/** Enough of a token to tell two apart in a list, never enough to use it. */
export function maskToken(token: string): string {
  return token.length >= 16 ? `${token.slice(0, 4)}…` : '…'
}

/** Named tokens beside the main one: a dashboard gets a key that cannot write. */
export function AccessTokensSection({ settings }: { settings: Settings }) {
  const bridge = useBridge()
  const action = useAction()
  const id = useId()
  const [name, setName] = useState('')
  const [token, setToken] = useState('')
  const [readOnly, setReadOnly] = useState(true)
  const [errors, setErrors] = useState<string[]>([])
  const { tokens } = settings.server
  const firstToken = settings.server.token === null && tokens.length === 0
  const invalid = (field: string) =>
    errors.some((e) => e.startsWith(`server.tokens[${tokens.length}].${field}`))

  const save = (next: AccessToken[], progress: string, done: string) =>
    action.run(progress, async () => {
      const result = await bridge.updateServerSettings({ tokens: next })
      if (!result.ok) {
        setErrors(result.errors)
        return { ok: false, text: 'Not saved: see the errors above.' }
      }
      setErrors([])
      return { ok: true, text: done }
    })

  const add = async () => {
    const entry = { name: name.trim(), token: token.trim(), readOnly }
    const what = entry.readOnly ? 'read-only token' : 'token'
    const added = await save(
      [...tokens, entry],
      `Adding the ${what} "${entry.name}"…`,
      `Added the ${what} "${entry.name}": copy it from the list for the tool`,
    )
    if (!added) return
    setName('')
    setToken('')
    setReadOnly(true)
  }

  const remove = (t: AccessToken) =>
    save(
      tokens.filter((x) => x !== t),
      `Removing the token "${t.name}"…`,
      `Removed the token "${t.name}": tools that used it were disconnected`,
    )

  const generate = () =>
    action.run('Generating a token…', async () => {
      setToken(await bridge.generateToken())
      return { ok: true, text: 'New token generated: name it and press Add token' }
    })

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Named tokens</h2>
      <p className="muted">
        Give each tool or dashboard its own token. One that is read-only lets a tool read every port
        but not write or query. Any token here, or the token above, lets a tool in.
      </p>
      {tokens.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <div className="table-scroll">
          <DataTable columns={TOKEN_COLUMNS}>
            {tokens.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>
                  <code>{maskToken(t.token)}</code>
                </td>
                <td>{t.readOnly ? 'read only' : 'read and write'}</td>
                <td className="inline">
                  <CopyButton text={t.token} label={`token ${t.name}`} />
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Remove token ${t.name}`}
                    onClick={() => void remove(t)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
      <form
        className="token-add"
        aria-label="Add a named token"
        onSubmit={(e) => {
          e.preventDefault()
          void add()
        }}
      >
        <FormErrors errors={errors} />
        <div className="form-grid">
          <TextField
            label="Token name"
            hint="Shown in Clients, e.g. dashboard"
            value={name}
            onChange={setName}
            invalid={invalid('name')}
            autoComplete="off"
          />
          <div className="field token-field">
            <label className="field-label" htmlFor={`${id}-token`}>
              New token
            </label>
            <div className="inline">
              <input
                id={`${id}-token`}
                type="password"
                value={token}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={invalid('token') || undefined}
                onChange={(e) => setToken(e.target.value)}
              />
              <button
                type="button"
                aria-label="Generate a named token"
                onClick={() => void generate()}
              >
                Generate
              </button>
            </div>
          </div>
        </div>
        <div className="checks">
          <CheckboxField
            label="Read-only (cannot write or query)"
            checked={readOnly}
            onChange={setReadOnly}
          />
        </div>
        {firstToken && (
          <p className="note">
            This is the first token: from now on every tool must present one, and tools connected
            without a token are disconnected.
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={action.busy}>
            Add token
          </button>
          <ActionMessage status={action.status} />
        </div>
      </form>
    </section>
  )
}
