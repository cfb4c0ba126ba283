import { z } from 'zod'
import type { SameShape } from './same-shape'
import { startPollMessageSchema, stopPollMessageSchema } from '../protocol'
import { pollInfoSchema } from './port-info-schema'
import { restSchemas, type MessageAnswer } from './rest-schemas'

/** The REST API's poll routes (feature `polls`): the `startPoll` and `stopPoll` messages' fields. */

/**
 * `startPoll` without its port (in the path) and `persist`: an HTTP request has no lifetime to
 * tie a poll to, so a REST poll is always saved into the port's settings.
 */
export const pollRequestSchema = startPollMessageSchema.omit({
  type: true,
  port: true,
  persist: true,
  id: true,
})

pollInfoSchema.register(restSchemas, { id: 'PollInfo' })

export const pollsAnswerSchema = z
  .object({ polls: z.array(pollInfoSchema) })
  .register(restSchemas, { id: 'PollList' })

/** `pollStarted` without `type` and `id`. */
export const pollStartedAnswerSchema = stopPollMessageSchema
  .pick({ port: true, name: true })
  .extend({ intervalMs: startPollMessageSchema.shape.intervalMs })
  .register(restSchemas, { id: 'PollStarted' })

/** `pollStopped` without `type` and `id`. */
export const pollStoppedAnswerSchema = stopPollMessageSchema
  .pick({ port: true, name: true })
  .register(restSchemas, { id: 'PollStopped' })

const agree: [
  SameShape<z.output<typeof pollStartedAnswerSchema>, MessageAnswer<'pollStarted'>>,
  SameShape<z.output<typeof pollStoppedAnswerSchema>, MessageAnswer<'pollStopped'>>,
] = [true, true]
void agree
