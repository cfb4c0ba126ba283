import { z } from 'zod'
import { errorCodes, queryMessageSchema, writeMessageSchema, type ServerMessage } from '../protocol'
import { portInfoSchema } from './port-info-schema'

/**
 * The REST API's requests and answers (docs/protocol.md, REST API): the schemas that check
 * each request are the ones openapi.json is made from.
 */

export const REST_PREFIX = '/api/v1'

/**
 * Answers by the name openapi.json gives them (`#/components/schemas/NAME`). A route's answer
 * must be registered here (a capability registers its own); request bodies are described
 * where they are used.
 */
export const restSchemas = z.registry<{ id: string }>()

/** Codes of the REST API's errors: the protocol's, and three of HTTP's own. */
export const restErrorCodes = [
  ...errorCodes,
  /** No token, or a wrong one (401). */
  'UNAUTHORIZED',
  /** No such route (404). */
  'NOT_FOUND',
  /** The route exists, not with that method (405). */
  'METHOD_NOT_ALLOWED',
] as const
export type RestErrorCode = (typeof restErrorCodes)[number]

export const errorAnswerSchema = z
  .object({ error: z.object({ code: z.enum(restErrorCodes), message: z.string() }) })
  .register(restSchemas, { id: 'Error' })

export const writeRequestSchema = writeMessageSchema.pick({ data: true, encoding: true })
export const queryRequestSchema = queryMessageSchema.pick({
  data: true,
  encoding: true,
  timeoutMs: true,
  expect: true,
  expectLines: true,
})

export const dataEncodingSchema = z
  .enum(['utf8', 'base64'])
  .describe('base64 when the bytes are not valid text in the port encoding')

export const frameSchema = z
  .object({
    data: z.string(),
    encoding: dataEncodingSchema,
    ts: z.string().describe('when it was read, ISO-8601'),
    seq: z.number().int().min(1),
    poll: z.string().optional().describe("the poll's name, on a poll's reply"),
    values: z.record(z.string(), z.number()).optional(),
    units: z.record(z.string(), z.string()).optional(),
  })
  .register(restSchemas, { id: 'Frame' })

portInfoSchema.register(restSchemas, { id: 'PortInfo' })

export const portsAnswerSchema = z
  .object({ ports: z.array(portInfoSchema) })
  .register(restSchemas, { id: 'PortList' })

export const portDetailSchema = portInfoSchema
  .extend({
    lastFrame: frameSchema.nullable().describe('the last frame read in this run, or null'),
  })
  .register(restSchemas, { id: 'PortDetail' })

export const writeAnswerSchema = z
  .object({ bytes: z.number().int().min(0) })
  .register(restSchemas, { id: 'Written' })

export const queryAnswerSchema = z
  .object({
    data: z.string(),
    encoding: dataEncodingSchema,
    ms: z.number().min(0).describe('from the query reaching the port (its queue) to its reply'),
    lines: z
      .array(z.string())
      .optional()
      .describe('with expectLines: each frame of the reply (data is them joined with "\\n")'),
  })
  .register(restSchemas, { id: 'Reply' })

/** openapi.json itself (described by the OpenAPI 3.1 specification, not here). */
export const openApiAnswerSchema = z
  .looseObject({ openapi: z.string() })
  .register(restSchemas, { id: 'OpenApiDocument' })

export type RestFrame = z.output<typeof frameSchema>
export type PortDetail = z.output<typeof portDetailSchema>

/** A control message's answer as a REST route answers it: its fields without `type` and `id`. */
export type MessageAnswer<T extends ServerMessage['type']> = Omit<
  Extract<ServerMessage, { type: T }>,
  'type' | 'id'
>
