import type { CapabilityFactory } from './capability'
import { mqttCapability } from './mqtt/mqtt-capability'
import { replayCapability } from './replay/replay-capability'
import { recordingCapability } from './recording/recording-capability'
import { pollsCapability } from './polls/polls-capability'
import { releaseCapability } from './release/release-capability'
import { valuesCapability } from './values/values-capability'

/**
 * The engine's capabilities, in start order (stopped in reverse). Each is a folder under
 * main/core/ with its own start/stop; this table is where the engine learns of them.
 */
export const BUILT_IN_CAPABILITIES: readonly CapabilityFactory[] = [
  pollsCapability,
  valuesCapability,
  releaseCapability,
  replayCapability,
  recordingCapability,
  mqttCapability,
]
