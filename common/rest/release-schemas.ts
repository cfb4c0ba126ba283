import type { z } from 'zod'
import type { SameShape } from './same-shape'
import { releaseMessageSchema } from '../protocol'
import { portInfoSchema } from './port-info-schema'
import { restSchemas, type MessageAnswer } from './rest-schemas'

/** The REST API's release route (feature `release`): the `release` message's fields. */

/** `{"seconds": 60}`, or `null` (or none): until the port is opened again. */
export const releaseRequestSchema = releaseMessageSchema.pick({ seconds: true })

/** `released` without `type` and `id`. */
export const releasedAnswerSchema = releaseMessageSchema
  .pick({ port: true })
  .extend({
    until: portInfoSchema.shape.until
      .unwrap()
      .describe('when it opens again by itself, or null: when it is opened'),
  })
  .register(restSchemas, { id: 'Released' })

const agrees: SameShape<z.output<typeof releasedAnswerSchema>, MessageAnswer<'released'>> = true
void agrees
