import { z } from 'zod'

/** Sizes in the settings are bytes; this keeps their bounds readable. */
export const MiB = 1024 * 1024

export const filePath = z.string().min(1, 'a file path is required')
