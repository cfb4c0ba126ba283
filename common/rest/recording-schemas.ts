import { z } from 'zod'
import type { SameShape } from './same-shape'
import type { RecordingFile } from '../engine-api'
import { restSchemas } from './rest-schemas'

/** The REST API's recording routes (feature `record`, docs/recording.md). */

/** The `record` message's field: on or off. */
export const recordRequestSchema = z.strictObject({ enabled: z.boolean() })

export const recordingFileSchema = z
  .object({
    port: z.string(),
    file: z.string().describe('relative to the recordings folder: meter/2026-…Z.jsonl'),
    start: z.string().describe('ISO-8601: its first record'),
    end: z.string().describe('ISO-8601: its last record'),
    bytes: z.number().int().min(0),
    frames: z.number().int().min(0),
    recording: z.boolean().describe('being written now'),
  })
  .register(restSchemas, { id: 'RecordingFile' })

export const recordingsAnswerSchema = z
  .object({ files: z.array(recordingFileSchema) })
  .register(restSchemas, { id: 'RecordingList' })

const agrees: SameShape<z.output<typeof recordingFileSchema>, RecordingFile> = true
void agrees
