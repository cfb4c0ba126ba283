import { z } from 'zod'
import { isLoopbackHost } from '../loopback'
import { deviceConflict } from '../port-device'
import { checkAccessLists } from './access-settings'
import { mqttSettingsSchema } from './mqtt-settings'
import { portSettingsSchema } from './port-settings'
import { recordingSettingsSchema } from './recording-settings'
import { serverSettingsSchema } from './server-settings'

/** The whole settings file: its sections, and the rules that span them (tokens, port ids, devices). */

export const settingsSchema = z
  .strictObject({
    server: serverSettingsSchema.default(() => serverSettingsSchema.parse({})),
    ports: z.array(portSettingsSchema).default([]),
    mqtt: mqttSettingsSchema.default(() => mqttSettingsSchema.parse({})),
    recording: recordingSettingsSchema.default(() => recordingSettingsSchema.parse({})),
  })
  .superRefine((s, ctx) => {
    if (!isLoopbackHost(s.server.host) && !s.server.token && s.server.tokens.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['server', 'token'],
        message:
          `a token is required when server.host is "${s.server.host}" (not loopback): ` +
          'set server.token or add one to server.tokens',
      })
    }
    checkAccessLists(s.server, ctx)
    const seen = new Map<string, number>()
    s.ports.forEach((p, i) => {
      const first = seen.get(p.id)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'id'],
          message: `duplicate port id "${p.id}" (also ports[${first}])`,
        })
      } else seen.set(p.id, i)
      const clash = deviceConflict(p, s.ports.slice(0, i))
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, clash.field],
          message: `${clash.message} (ports[${s.ports.indexOf(clash.other)}])`,
        })
      }
    })
  })

export type Settings = z.output<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})
