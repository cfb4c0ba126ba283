import { useId, useRef, useState } from 'react'
import type { PortInfo } from '../../../common/engine-api'
import { notOpenMessage } from '../../../common/not-open'
import { useBridge } from '../app-state/bridge-context'
import { TERMINATORS } from '../ports/port-form-model'
import { ActionMessage } from '../shared/action-message'
import { plural } from '../shared/format-number'
import { outcomeOf, useAction } from '../shared/use-action'
import { SendHistory } from './send-history'

const HEX_INPUT = /^(\s*[0-9a-fA-F]{2})*\s*$/

function defaultTerminator(port: PortInfo): string {
  return TERMINATORS.some((t) => t.value === port.settings.writeTerminator)
    ? port.settings.writeTerminator
    : '\n'
}

/** Sends a command to the port: text with a line ending, or hex bytes; ↑/↓ walk the history. */
export function SendBox({ port }: { port: PortInfo }) {
  const bridge = useBridge()
  const action = useAction()
  const history = useRef(new SendHistory())
  const [text, setText] = useState('')
  const [hex, setHex] = useState(false)
  const [terminator, setTerminator] = useState(() => defaultTerminator(port))
  const ids = { input: useId(), ending: useId() }

  const send = () => {
    const data = text
    if (!data && hex) return
    void action.run(`Sending to ${port.id}…`, async () => {
      if (port.state !== 'open') return { ok: false, text: notOpenMessage(port.id, port.state) }
      if (hex && !HEX_INPUT.test(data))
        return { ok: false, text: 'Hex input needs pairs of hex digits, e.g. 2A 49 44 4E 3F' }
      const result = await bridge.sendToPort({
        port: port.id,
        data,
        format: hex ? 'hex' : 'text',
        terminator: hex ? '' : terminator,
      })
      if (!result.ok) return outcomeOf(result, '')
      history.current.add(data)
      setText('')
      return { ok: true, text: `Sent ${plural(result.value.bytes, 'byte')} to ${port.id}` }
    })
  }

  return (
    <form
      className="send-box"
      aria-label={`Send to ${port.id}`}
      onSubmit={(event) => {
        event.preventDefault()
        send()
      }}
    >
      <label htmlFor={ids.input} className="sr-only">
        Command to send
      </label>
      <input
        id={ids.input}
        className="send-input"
        value={text}
        placeholder={hex ? 'Hex bytes, e.g. 2A 49 44 4E 3F' : 'Command to send, e.g. *IDN?'}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp') {
            const previous = history.current.previous(text)
            if (previous !== undefined) setText(previous)
            e.preventDefault()
          } else if (e.key === 'ArrowDown') {
            const next = history.current.next()
            if (next !== undefined) setText(next)
            e.preventDefault()
          }
        }}
      />
      <label htmlFor={ids.ending} className="inline-label">
        Line ending
      </label>
      <select
        id={ids.ending}
        value={terminator}
        disabled={hex}
        onChange={(e) => setTerminator(e.target.value)}
      >
        {TERMINATORS.map((t) => (
          <option key={t.label} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
      <label className="inline-check">
        <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} />
        Send as hex
      </label>
      <button type="submit" className="primary" disabled={action.busy}>
        Send
      </button>
      <ActionMessage status={action.status} />
    </form>
  )
}
