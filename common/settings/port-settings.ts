import { z } from 'zod'
import { pollListSchema } from '../polls/poll-settings'
import { defaultPortId, PORT_ID_PATTERN } from '../port-id'
import { SIM_REPLAY_PATH } from '../sim-paths'
import { parseSettingsSchema } from '../values/parse-settings'
import { portMqttSchema } from './mqtt-settings'
import { recordSettingsSchema, replaySettingsSchema } from './recording-settings'
import { MiB } from './settings-fields'

/** One entry of `ports`: the serial line, how its bytes become frames, and what runs on it. */

export const framingSchema = z.strictObject({
  /** `line` ends a frame at \n, \r\n or \r; `delimiter` at one exact byte sequence. */
  mode: z.enum(['line', 'raw', 'delimiter', 'idle', 'length']).default('line'),
  /** Each character is one byte (code 0–255), so any byte sequence can be written, e.g. "\r\n" or "\u0003". */
  delimiter: z
    .string()
    .min(1)
    .refine(
      (s) => [...s].every((c) => c.charCodeAt(0) < 256),
      'delimiter characters must be codes 0–255 (one byte each)',
    )
    .default('\n'),
  idleMs: z.number().int().min(1).max(60_000).default(50),
  length: z.number().int().min(1).max(65_536).default(16),
  /** A frame that grows past this is cut here (and counted): a missing ending can't grow memory. */
  maxFrameBytes: z
    .number()
    .int()
    .min(16)
    .max(16 * MiB)
    .default(64 * 1024),
})

export const matchSchema = z.strictObject({
  serialNumber: z.string().min(1).optional(),
  vendorId: z
    .string()
    .regex(/^[0-9a-fA-F]{4}$/, 'vendorId is 4 hex digits')
    .optional(),
  productId: z
    .string()
    .regex(/^[0-9a-fA-F]{4}$/, 'productId is 4 hex digits')
    .optional(),
})

/** A command kept with its port and sent with one click from the Stream view, e.g. `*IDN?`. */
export const savedCommandSchema = z.strictObject({
  label: z.string().trim().min(1, 'label is required, e.g. "Identify"').max(40),
  /** Text is sent with the port's write terminator; hex is pairs of hex digits, sent as they are. */
  data: z.string().min(1, 'data is required, e.g. "*IDN?"').max(4096),
  format: z.enum(['text', 'hex']).default('text'),
})

const portSettingsObject = z.strictObject({
  id: z
    .string()
    .regex(PORT_ID_PATTERN, 'id may use only letters, digits and . _ ~ - (at most 64)')
    .optional(),
  path: z.string().min(1, 'path is required, e.g. COM3 or /dev/ttyUSB0'),
  baudRate: z.number().int().min(50).max(20_000_000).default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
  flowControl: z.enum(['none', 'rtscts', 'xonxoff']).default('none'),
  dtr: z.boolean().default(true),
  rts: z.boolean().default(true),
  framing: framingSchema.default(() => framingSchema.parse({})),
  /** Appended to text writes that do not already end with it. Empty string: append nothing. */
  writeTerminator: z.string().default('\n'),
  encoding: z.enum(['utf8', 'latin1', 'ascii']).default('utf8'),
  autoOpen: z.boolean().default(true),
  reconnect: z.boolean().default(true),
  match: matchSchema.optional(),
  /** How frames become named numbers (`values` in data messages). */
  parse: parseSettingsSchema.default({ mode: 'none' }),
  /** Questions the bridge asks the instrument on a schedule while the port is open. */
  polls: pollListSchema.default([]),
  /** Buttons in the Stream view, in this order. */
  commands: z.array(savedCommandSchema).max(50).default([]),
  /** The MQTT uplink for this port; absent: published under `ports/{id}` (docs/mqtt.md). */
  mqtt: portMqttSchema.optional(),
  record: recordSettingsSchema.default(() => recordSettingsSchema.parse({})),
  /** Required for path `sim:replay`, ignored otherwise. */
  replay: replaySettingsSchema.optional(),
})

/** A port's settings as the engine holds them (every default filled in, `id` given). */
export const storedPortSettingsSchema = portSettingsObject.required({ id: true })

export const portSettingsSchema = portSettingsObject
  .superRefine((p, ctx) => {
    if (p.path === SIM_REPLAY_PATH && !p.replay) {
      ctx.addIssue({
        code: 'custom',
        path: ['replay'],
        message: `path ${SIM_REPLAY_PATH} needs replay: {"file": "meter/2026-11-23T09-15-02Z.jsonl"}`,
      })
    }
  })
  .transform((p) => ({
    ...p,
    id: p.id ?? defaultPortId(p.path),
  }))

export type PortSettings = z.output<typeof portSettingsSchema>
export type PortSettingsInput = z.input<typeof portSettingsSchema>
export type Framing = z.output<typeof framingSchema>
export type PortMatch = z.output<typeof matchSchema>
export type SavedCommand = z.output<typeof savedCommandSchema>
