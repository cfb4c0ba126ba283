/** Paths that open a built-in simulated port instead of hardware (the engine's `sim-device`). */
export const SIM_PREFIX = 'sim:'
/** Streams a temperature/humidity reading, answers `*IDN?`, echoes the rest. */
export const SIM_DEMO_PATH = 'sim:demo'
/** Plays a recording's received frames with their timing (port setting `replay`). */
export const SIM_REPLAY_PATH = 'sim:replay'
