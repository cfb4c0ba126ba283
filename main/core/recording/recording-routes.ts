import type { PortInfo } from '../../../common/protocol'
import { recordRequestSchema, recordingsAnswerSchema } from '../../../common/rest/recording-schemas'
import { portInfoSchema } from '../../../common/rest/port-info-schema'
import type { RecordingList } from '../../../common/engine-api'
import type { Result } from '../../../common/validation'
import { RestError, restRoute, type RestRoute } from '../rest/rest-route'

export interface RecordingRoutesDeps {
  hasPort(id: string): boolean
  setRecording(port: string, enabled: boolean): Promise<Result<PortInfo>>
  listRecordings(): Promise<Result<RecordingList>>
}

/** The REST API's recording routes (feature `record`): the same as the `record` message. */
export function recordingRoutes(deps: RecordingRoutesDeps): RestRoute[] {
  return [
    restRoute({
      id: 'recordPort',
      method: 'POST',
      path: '/ports/{id}/record',
      summary: "Turns the port's recording on or off (saved with its settings)",
      acts: true,
      body: { schema: recordRequestSchema },
      answer: portInfoSchema,
      errors: ['UNKNOWN_PORT'],
      async handle({ params, body }) {
        const id = params.id!
        if (!deps.hasPort(id)) throw new RestError('UNKNOWN_PORT', `unknown port: ${id}`)
        const result = await deps.setRecording(id, body.enabled)
        if (!result.ok) throw new RestError('INTERNAL', result.errors.join('; '))
        return result.value
      },
    }),
    restRoute({
      id: 'listRecordings',
      method: 'GET',
      path: '/recordings',
      summary: 'The recordings on disk (the files, not their folder)',
      acts: false,
      answer: recordingsAnswerSchema,
      errors: [],
      async handle() {
        const result = await deps.listRecordings()
        if (!result.ok) throw new RestError('INTERNAL', result.errors.join('; '))
        return { files: result.value.files }
      },
    }),
  ]
}
