import type { CommandDraft } from './port-form-model'

export interface CommandsEditorProps {
  commands: CommandDraft[]
  onChange: (commands: CommandDraft[]) => void
  /** Whether an error names `commands[i]`. */
  invalid: (index: number) => boolean | undefined
}

/** The port's saved commands (Stream view buttons): a row each, in the order they show. */
export function CommandsEditor({ commands, onChange, invalid }: CommandsEditorProps) {
  const change = (i: number, patch: Partial<CommandDraft>) =>
    onChange(commands.map((c, j) => (j === i ? { ...c, ...patch } : c)))
  return (
    <fieldset className="commands-editor">
      <legend>Saved commands</legend>
      <p className="hint">
        Buttons in the Stream view that send with one click, e.g. <code>*IDN?</code>,{' '}
        <code>MEAS?</code>, <code>*RST</code>. Text is sent with the write terminator.
      </p>
      {commands.map((c, i) => {
        const n = i + 1
        return (
          <div className="inline command-row" key={i}>
            <input
              aria-label={`Command ${n} label`}
              placeholder="Label, e.g. Identify"
              value={c.label}
              aria-invalid={invalid(i)}
              onChange={(e) => change(i, { label: e.target.value })}
            />
            <input
              aria-label={`Command ${n} data`}
              placeholder={c.format === 'hex' ? 'Hex bytes, e.g. 03' : 'Command, e.g. *IDN?'}
              value={c.data}
              spellCheck={false}
              aria-invalid={invalid(i)}
              onChange={(e) => change(i, { data: e.target.value })}
            />
            <select
              aria-label={`Command ${n} format`}
              value={c.format}
              onChange={(e) => change(i, { format: e.target.value as CommandDraft['format'] })}
            >
              <option value="text">text</option>
              <option value="hex">hex</option>
            </select>
            <button
              type="button"
              aria-label={`Remove command ${n}`}
              onClick={() => onChange(commands.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        )
      })}
      <button
        type="button"
        onClick={() => onChange([...commands, { label: '', data: '', format: 'text' }])}
      >
        Add command
      </button>
    </fieldset>
  )
}
