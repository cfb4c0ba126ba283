import { z } from 'zod'

/** The `recording` section, and the two port settings that record a port or replay a recording. */

/** Whether a port is recorded to disk (docs/recording.md); `tx` also records what was sent to it. */
export const recordSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  tx: z.boolean().default(true),
})

/** What `sim:replay` plays: a recording's received frames, with their timing scaled by `speed`. */
export const replaySettingsSchema = z.strictObject({
  /** A `.jsonl` recording: absolute, or relative to the recordings folder (`meter/2026-…Z.jsonl`). */
  file: z.string().min(1, 'file is required: a recording, e.g. meter/2026-11-23T09-15-02Z.jsonl'),
  /** 1 = as recorded, 10 = ten times faster, "max" = as fast as the port reads. */
  speed: z.union([z.number().min(0.01).max(1000), z.literal('max')]).default(1),
  loop: z.boolean().default(false),
  /** What a client writes to the replay port: echoed back as received data, or ignored. */
  writes: z.enum(['echo', 'ignore']).default('echo'),
})

/** The `recording` section: where recordings go and when files rotate. */
export const recordingSettingsSchema = z.strictObject({
  /** Null: the host's default (Documents/Serial Bridge/recordings, or ./recordings beside the config). */
  dir: z.string().min(1).nullable().default(null),
  rotateMiB: z.number().min(1).max(1_048_576).default(100),
  /** Also start a new file at local midnight. */
  rotateDaily: z.boolean().default(true),
  /** Delete recordings older than this many days; null keeps them all. */
  keepDays: z.number().int().min(1).max(36_500).nullable().default(null),
})

export type RecordSettings = z.output<typeof recordSettingsSchema>
export type ReplaySettings = z.output<typeof replaySettingsSchema>
export type RecordingSettings = z.output<typeof recordingSettingsSchema>
