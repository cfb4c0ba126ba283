import type {
  Framing,
  PortSettings,
  PortSettingsInput,
  SavedCommand,
} from '../../../common/settings-schema'
import type { SelectOption } from '../shared/select-field'
import { escapeBytes, unescapeBytes, wholeNumber } from './draft-text'
import { parseDraftFrom, parseInput, type ParseDraft } from './parse-draft'
import { pollDraftFrom, pollsInput, type PollDraft } from './poll-draft'

export { escapeBytes, unescapeBytes }

export const STANDARD_BAUD_RATES = [
  300, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
] as const

/** Line endings offered in the form and the send box. */
export const TERMINATORS = [
  { value: '', label: 'None' },
  { value: '\n', label: 'LF (\\n)' },
  { value: '\r', label: 'CR (\\r)' },
  { value: '\r\n', label: 'CR LF (\\r\\n)' },
] as const

/** Options shown as their own value. */
const plainOptions = <T extends string>(...values: T[]): SelectOption<T>[] =>
  values.map((value) => ({ value, label: value }))

/** Choices of the form's drop-downs. */
export const DATA_BITS = plainOptions('5', '6', '7', '8')
export const PARITIES = plainOptions<PortSettings['parity']>('none', 'even', 'odd', 'mark', 'space')
export const STOP_BITS = plainOptions('1', '1.5', '2')
export const FLOW_CONTROLS: readonly SelectOption<PortSettings['flowControl']>[] = [
  { value: 'none', label: 'none' },
  { value: 'rtscts', label: 'RTS/CTS (hardware)' },
  { value: 'xonxoff', label: 'XON/XOFF (software)' },
]
export const ENCODINGS: readonly SelectOption<PortSettings['encoding']>[] = [
  { value: 'utf8', label: 'UTF-8' },
  { value: 'latin1', label: 'Latin-1' },
  { value: 'ascii', label: 'ASCII' },
]
export const FRAMING_MODES: readonly SelectOption<Framing['mode']>[] = [
  { value: 'line', label: 'at line ends (\\n, \\r\\n or \\r)' },
  { value: 'delimiter', label: 'at an exact delimiter' },
  { value: 'idle', label: 'after a pause' },
  { value: 'length', label: 'every N bytes' },
  { value: 'raw', label: 'as it arrives (raw)' },
]

/** The add/edit form as typed: strings until the user presses Save. */
export interface PortDraft {
  path: string
  id: string
  baudRate: string
  dataBits: string
  parity: PortSettings['parity']
  stopBits: string
  flowControl: PortSettings['flowControl']
  framingMode: Framing['mode']
  /** With escapes: `\n`, `\r\n`, `\x03`. */
  delimiter: string
  idleMs: string
  length: string
  maxFrameBytes: string
  writeTerminator: string
  encoding: PortSettings['encoding']
  autoOpen: boolean
  reconnect: boolean
  matchSerial: boolean
  serialNumber: string
  polls: PollDraft[]
  parse: ParseDraft
  commands: CommandDraft[]
}

/** One saved command as typed in the form. */
export interface CommandDraft {
  label: string
  data: string
  format: SavedCommand['format']
}

export function emptyDraft(path = '', serialNumber = ''): PortDraft {
  return {
    path,
    id: '',
    baudRate: '9600',
    dataBits: '8',
    parity: 'none',
    stopBits: '1',
    flowControl: 'none',
    framingMode: 'line',
    delimiter: '\\n',
    idleMs: '50',
    length: '16',
    maxFrameBytes: '65536',
    writeTerminator: '\n',
    encoding: 'utf8',
    autoOpen: true,
    reconnect: true,
    matchSerial: false,
    serialNumber,
    commands: [],
    polls: [],
    parse: parseDraftFrom({ mode: 'none' }),
  }
}

export function draftFromSettings(s: PortSettings): PortDraft {
  return {
    path: s.path,
    id: s.id,
    baudRate: String(s.baudRate),
    dataBits: String(s.dataBits),
    parity: s.parity,
    stopBits: String(s.stopBits),
    flowControl: s.flowControl,
    framingMode: s.framing.mode,
    delimiter: escapeBytes(s.framing.delimiter),
    idleMs: String(s.framing.idleMs),
    length: String(s.framing.length),
    maxFrameBytes: String(s.framing.maxFrameBytes),
    writeTerminator: s.writeTerminator,
    encoding: s.encoding,
    autoOpen: s.autoOpen,
    reconnect: s.reconnect,
    matchSerial: Boolean(s.match?.serialNumber),
    serialNumber: s.match?.serialNumber ?? '',
    commands: s.commands.map((c) => ({ ...c })),
    polls: s.polls.map(pollDraftFrom),
    parse: parseDraftFrom(s.parse),
  }
}

/**
 * Turns the draft into the engine's input. Only what a string cannot carry is checked here
 * (a number typed with letters), and the polls and numbers with the settings schema as they
 * are typed; the engine's schema does the rest. Every error names its field.
 */
export function draftToInput(
  draft: PortDraft,
  base?: PortSettings,
): { ok: true; input: PortSettingsInput } | { ok: false; errors: string[] } {
  const errors: string[] = []
  const baudRate = wholeNumber(draft.baudRate)
  if (baudRate === null) errors.push('baudRate: type a whole number, e.g. 9600')
  const idleMs = wholeNumber(draft.idleMs)
  if (draft.framingMode === 'idle' && idleMs === null)
    errors.push('framing.idleMs: type a whole number of milliseconds, e.g. 50')
  const length = wholeNumber(draft.length)
  if (draft.framingMode === 'length' && length === null)
    errors.push('framing.length: type a whole number of bytes, e.g. 16')
  const maxFrameBytes = wholeNumber(draft.maxFrameBytes)
  if (maxFrameBytes === null)
    errors.push('framing.maxFrameBytes: type a whole number of bytes, e.g. 65536')
  if (draft.matchSerial && !draft.serialNumber.trim())
    errors.push('match.serialNumber: type the serial number to match, or untick the box')
  const polls = pollsInput(draft.polls)
  const parse = parseInput(draft.parse)
  errors.push(...polls.errors, ...parse.errors)
  if (errors.length > 0) return { ok: false, errors }

  const input: PortSettingsInput = {
    // What the form does not show is kept as it was: line levels, recording, replay.
    ...(base ? { dtr: base.dtr, rts: base.rts, record: base.record } : {}),
    ...(base?.replay ? { replay: base.replay } : {}),
    path: draft.path.trim(),
    baudRate: baudRate!,
    dataBits: Number(draft.dataBits) as PortSettings['dataBits'],
    parity: draft.parity,
    stopBits: Number(draft.stopBits) as PortSettings['stopBits'],
    flowControl: draft.flowControl,
    framing: {
      mode: draft.framingMode,
      delimiter: unescapeBytes(draft.delimiter),
      idleMs: idleMs ?? base?.framing.idleMs ?? 50,
      length: length ?? base?.framing.length ?? 16,
      maxFrameBytes: maxFrameBytes!,
    },
    writeTerminator: draft.writeTerminator,
    encoding: draft.encoding,
    autoOpen: draft.autoOpen,
    reconnect: draft.reconnect,
    // A row left empty is no command; anything else goes to the schema, which names the field.
    commands: draft.commands.filter((c) => c.label.trim() || c.data),
    parse: parse.input,
    polls: polls.polls,
  }
  if (draft.id.trim()) input.id = draft.id.trim()
  const match = { ...(base?.match ?? {}) }
  delete match.serialNumber
  if (draft.matchSerial) match.serialNumber = draft.serialNumber.trim()
  if (Object.keys(match).length > 0) input.match = match
  return { ok: true, input }
}
