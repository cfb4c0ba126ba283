import { z } from 'zod'
import type {
  AppPreferences,
  ClientRuleRequest,
  OperationArgs,
  OperationName,
  QueryRequest,
  SendRequest,
} from '../../common/contract'
import { expectSchema } from '../../common/polls/poll-settings'
import { MAX_EXPECT_LINES, MAX_QUERY_TIMEOUT_MS, MAX_RELEASE_SECONDS } from '../../common/protocol'
import { clientRuleMatchSchema, clientRuleSchema } from '../../common/settings-schema'
import { formatPath, type Result } from '../../common/validation'

/**
 * Schemas for the arguments of every contract operation. A UI call crosses a trust boundary
 * (IPC from a renderer, or the admin WebSocket), so hosts check each argument before the
 * engine sees it.
 */

export const appPreferencesSchema = z.strictObject({
  startAtLogin: z.boolean(),
  startMinimized: z.boolean(),
  closeToTray: z.boolean(),
}) satisfies z.ZodType<AppPreferences>

export const defaultAppPreferences = (): AppPreferences => ({
  startAtLogin: false,
  startMinimized: false,
  closeToTray: true,
})

const MAX_SEND_CHARS = 1_000_000
const MAX_SAVE_CHARS = 256 * 1024 * 1024

const id = z.string().min(1, 'an id is required').max(256)
/** A recording's name inside the recordings folder; the engine checks it stays inside. */
const recordingName = z.string().min(1, 'a recording is required').max(512)

export const sendRequestSchema = z.strictObject({
  port: id,
  data: z.string().max(MAX_SEND_CHARS),
  format: z.enum(['text', 'hex']),
  terminator: z.string().max(16),
}) satisfies z.ZodType<SendRequest>

export const queryRequestSchema = sendRequestSchema.extend({
  timeoutMs: z.number().int().min(1).max(MAX_QUERY_TIMEOUT_MS),
  expect: expectSchema.optional(),
  expectLines: z.number().int().min(1).max(MAX_EXPECT_LINES).optional(),
}) satisfies z.ZodType<QueryRequest>

/** Seconds to release a port for, or null: until it is opened again. */
const releaseSeconds = z.number().int().min(1).max(MAX_RELEASE_SECONDS).nullable()

const ruleAction = clientRuleSchema.shape.action

/** A rule lasts a year at most: beyond that, "until allowed" (null) says what is meant. */
export const clientRuleRequestSchema = z.strictObject({
  match: clientRuleMatchSchema,
  action: ruleAction,
  seconds: z
    .number()
    .int()
    .min(1)
    .max(366 * 24 * 3600)
    .nullable(),
}) satisfies z.ZodType<ClientRuleRequest>

/**
 * Settings arguments only need to be objects here: the engine checks them against the settings
 * schema itself and answers a `Result` whose errors name each wrong field, as the forms show.
 */
const settingsObject = <T>(): z.ZodType<T> =>
  z.record(z.string(), z.unknown()) as unknown as z.ZodType<T>

/** One schema per parameter, so the compiler holds each list to the operation's arity and types. */
type SchemasFor<T extends readonly unknown[]> = { [I in keyof T]: z.ZodType<T[I]> }
type ArgSchemas = { [K in OperationName]: SchemasFor<OperationArgs<K>> }

export const operationArgs: ArgSchemas = {
  getServerStatus: [],
  getSettings: [],
  updateServerSettings: [settingsObject()],
  updateMqttSettings: [settingsObject()],
  getMqttStatus: [],
  testMqtt: [settingsObject()],
  importSettings: [settingsObject()],
  exportSettings: [z.strictObject({ includePassword: z.boolean() })],
  generateToken: [],
  listPorts: [],
  addPort: [settingsObject()],
  updatePort: [id, settingsObject()],
  removePort: [id],
  openPort: [id],
  closePort: [id],
  openAllPorts: [],
  closeAllPorts: [],
  sendToPort: [sendRequestSchema],
  queryPort: [queryRequestSchema],
  releasePort: [id, releaseSeconds],
  listDevices: [],
  listClients: [],
  disconnectClient: [id],
  setClientReadOnly: [id, z.boolean()],
  listRefused: [],
  clearRefused: [],
  allowOrigin: [z.string().min(1, 'origin is required').max(2048)],
  addClientRule: [clientRuleRequestSchema],
  removeClientRule: [clientRuleMatchSchema, ruleAction],
  getPreferences: [],
  setPreferences: [appPreferencesSchema.partial()],
  saveText: [z.string().min(1).max(255), z.string().max(MAX_SAVE_CHARS)],
  setRecording: [id, z.boolean()],
  listRecordings: [],
  deleteRecording: [recordingName],
  exportRecordingCsv: [recordingName],
  openRecordingsFolder: [id.nullable()],
  downloadRecording: [recordingName],
}

/**
 * Checks a call's arguments. On success the arguments are returned exactly as received
 * (not the parsed values), so the engine applies its own defaults once.
 */
export function checkOperationArgs<K extends OperationName>(
  operation: K,
  args: readonly unknown[],
): Result<OperationArgs<K>> {
  const schemas = operationArgs[operation] as readonly z.ZodType[] | undefined
  if (!schemas) return { ok: false, errors: [`unknown operation "${String(operation)}"`] }
  if (args.length !== schemas.length) {
    return {
      ok: false,
      errors: [`expects ${schemas.length} argument(s), got ${args.length}`],
    }
  }
  const errors: string[] = []
  schemas.forEach((schema, index) => {
    const result = schema.safeParse(args[index])
    if (result.success) return
    const add = (path: readonly PropertyKey[], message: string): void => {
      // A whole argument of the wrong kind has no field to name: say which argument.
      const place =
        path.length > 0 ? formatPath(path) : schemas.length > 1 ? `argument ${index + 1}` : ''
      errors.push(place ? `${place}: ${message}` : message)
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) add([...issue.path, key], 'unknown field')
      } else add(issue.path, issue.message)
    }
  })
  return errors.length === 0
    ? { ok: true, value: args as unknown as OperationArgs<K> }
    : { ok: false, errors }
}
