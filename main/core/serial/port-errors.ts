/**
 * Turns what the OS and serialport say into words a lab technician can act on.
 * Windows says "Access denied" for a port held by another program; Linux "Cannot lock port".
 */
export type PortErrorKind = 'in-use' | 'not-found' | 'permission' | 'unsupported' | 'other'

export interface DescribedError {
  kind: PortErrorKind
  message: string
}

const patterns: Array<[PortErrorKind, RegExp]> = [
  ['in-use', /access denied|cannot lock port|resource busy|EBUSY|being used by another/i],
  [
    'not-found',
    /ENOENT|EBADF|bad file descriptor|no such file|not found|cannot find the file|file not found|ENXIO|disconnected|unplugged|EIO|input\/output error/i,
  ],
  ['permission', /EACCES|permission denied|EPERM|operation not permitted/i],
  [
    'unsupported',
    /EINVAL|invalid argument|baud ?rate|not supported|unsupported|ENOTTY|inappropriate ioctl/i,
  ],
]

export function classifyPortError(error: unknown): PortErrorKind {
  const text = errorText(error)
  for (const [kind, pattern] of patterns) if (pattern.test(text)) return kind
  return 'other'
}

export function describePortError(error: unknown, path: string): DescribedError {
  const kind = classifyPortError(error)
  const detail = errorText(error)
  switch (kind) {
    case 'in-use':
      return {
        kind,
        message: `${path} is in use by another program. Close that program, then try again.`,
      }
    case 'not-found':
      return {
        kind,
        message: `${path} was not found: the device is unplugged or the name is wrong.`,
      }
    case 'permission':
      return {
        kind,
        message:
          process.platform === 'linux'
            ? `Permission denied for ${path}. Add your user to the "dialout" group, then log in again.`
            : `Permission denied for ${path}.`,
      }
    case 'unsupported':
      return { kind, message: `${path} does not support these settings (${detail}).` }
    default:
      return { kind, message: `${path}: ${detail}` }
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error)
    return `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`.trim()
  return String(error)
}
