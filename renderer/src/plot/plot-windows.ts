/** The time spans the Plot view shows, newest at the right. */
export const PLOT_WINDOWS = [
  { label: '10 s', ms: 10_000 },
  { label: '1 min', ms: 60_000 },
  { label: '10 min', ms: 600_000 },
  { label: '1 h', ms: 3_600_000 },
] as const

export type PlotWindow = (typeof PLOT_WINDOWS)[number]

/**
 * Each window is kept as this many time buckets (min, max, mean, last of each channel), whatever
 * the data rate: 5 ms each for 10 s, 1.8 s for 1 h. More than a screen has pixel columns, so the
 * view's own min/max per column loses nothing it could draw, and memory does not grow with rate.
 */
export const BUCKETS_PER_WINDOW = 2000

/** Channels plotted per port; more (a JSON mode over a big object) are counted, not kept. */
export const MAX_PLOT_CHANNELS = 16
