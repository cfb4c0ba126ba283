import type { PortInfo } from '../../../common/engine-api'
import { notOpenMessage } from '../../../common/not-open'
import { useBridge } from '../app-state/bridge-context'
import { ActionMessage } from '../shared/action-message'
import { plural } from '../shared/format-number'
import { outcomeOf, useAction } from '../shared/use-action'

/** The port's saved commands as a row of buttons; each sends with one click (edit them under Ports). */
export function SavedCommands({ port }: { port: PortInfo }) {
  const bridge = useBridge()
  const action = useAction()
  const commands = port.settings.commands
  if (commands.length === 0) return null
  const send = (index: number) => {
    const command = commands[index]!
    void action.run(`Sending ${command.label}…`, async () => {
      if (port.state !== 'open') return { ok: false, text: notOpenMessage(port.id, port.state) }
      const result = await bridge.sendToPort({
        port: port.id,
        data: command.data,
        format: command.format,
        terminator: command.format === 'hex' ? '' : port.settings.writeTerminator,
      })
      return outcomeOf(
        result,
        result.ok ? `Sent ${command.label} (${plural(result.value.bytes, 'byte')})` : '',
      )
    })
  }
  return (
    <div
      className="toolbar saved-commands"
      role="group"
      aria-label={`Saved commands of ${port.id}`}
    >
      {commands.map((c, i) => (
        <button
          key={`${i}-${c.label}`}
          type="button"
          title={c.format === 'hex' ? `hex ${c.data}` : c.data}
          disabled={action.busy}
          onClick={() => send(i)}
        >
          {c.label}
        </button>
      ))}
      <ActionMessage status={action.status} />
    </div>
  )
}
