import type { BucketTier } from './bucket-tier'
import type { PlotChannel } from './port-series'

export interface PlotCsv {
  text: string
  rows: number
  /** Set when some bucket held several samples: each row is then their mean, min and max. */
  bucketMs: number | null
}

const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)
const heading = (c: PlotChannel, what = '') =>
  cell(`${c.name}${what}${c.unit ? ` (${c.unit})` : ''}`)

/**
 * The shown span of the shown channels as CSV, one row per bucket the plot drew from, time in
 * ISO-8601 UTC. Where a bucket holds one sample the row is that sample; when any holds more
 * (fast data, long window), each channel gets mean, min and max columns.
 */
export function plotCsv(
  tier: BucketTier,
  channels: readonly PlotChannel[],
  shown: readonly number[],
  from: number,
  to: number,
): PlotCsv {
  const slots: number[] = []
  let reduced = false
  tier.forEach(from, to, (slot) => {
    if (!shown.some((c) => tier.channels[c]!.count[slot]! > 0)) return
    slots.push(slot)
    if (shown.some((c) => tier.channels[c]!.count[slot]! > 1)) reduced = true
  })
  const header = ['time']
  for (const c of shown) {
    const channel = channels[c]!
    if (reduced)
      header.push(heading(channel, ' mean'), heading(channel, ' min'), heading(channel, ' max'))
    else header.push(heading(channel))
  }
  const lines = [header.join(',')]
  for (const slot of slots) {
    const row = [new Date(tier.lastTs[slot]!).toISOString()]
    for (const c of shown) {
      const b = tier.channels[c]!
      const n = b.count[slot]!
      if (!reduced) row.push(n > 0 ? String(b.last[slot]) : '')
      else if (n === 0) row.push('', '', '')
      else row.push(String(b.sum[slot]! / n), String(b.min[slot]), String(b.max[slot]))
    }
    lines.push(row.join(','))
  }
  return {
    text: lines.join('\n') + '\n',
    rows: slots.length,
    bucketMs: reduced ? tier.width : null,
  }
}
