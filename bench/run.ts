import os from 'node:os'
import { parseArgs } from 'node:util'
import { clockFrom, newEpoch } from './bench-clock'
import { cleanupMark, cleanupTo, installExitHooks } from './cleanup-stack'
import { machineBusyPct } from './proc-stats'
import { fullScale, quickScale, type Metrics, type Scenario } from './scenario'
import { s1Latency, s1WithUplink } from './scenarios/s1-latency'
import { s2Throughput } from './scenarios/s2-throughput'
import { s3FanOut } from './scenarios/s3-fan-out'
import { s4IdleMemory } from './scenarios/s4-idle-memory'
import { s5SlowClient } from './scenarios/s5-slow-client'
import { s6WritePath } from './scenarios/s6-write-path'
import { s7Query } from './scenarios/s7-query'
import { s8Ui } from './scenarios/s8-ui'
import { s12Resume } from './scenarios/s12-resume'
import { s13Mqtt } from './scenarios/s13-mqtt'
import { s11Recording } from './scenarios/s11-recording'
import { s9Plot } from './scenarios/s9-plot'
import { s10Polls } from './scenarios/s10-polls'
import { startup } from './scenarios/startup'
import {
  formatMarkdown,
  formatTable,
  medianMetrics,
  summaryHeader,
  summaryRows,
  type Results,
} from './summary-table'
import { targetAvailable, type TargetName } from './target-process'

/**
 * `npm run bench`: issue 4's scenarios against the bridge's headless mode and the bare
 * baseline, one after the other per scenario so machine noise hits both alike. One JSON line
 * per run on stdout, then the summary table; progress goes to stderr.
 */
const scenarios: Scenario[] = [
  s1Latency,
  s2Throughput(1),
  s2Throughput(10),
  s3FanOut(200),
  s3FanOut(1000),
  s4IdleMemory,
  s5SlowClient,
  s6WritePath,
  s7Query,
  s8Ui,
  s12Resume,
  s13Mqtt,
  s1WithUplink,
  s11Recording,
  s9Plot,
  s10Polls,
  startup,
]

const SCENARIO_TIMEOUT_MS = 6 * 60_000
const BUSY_WARN_PCT = 20

const usage = `usage: node --import tsx bench/run.ts [--only S1,S2/10,...] [--target baseline,bridge] [--quick] [--repeat N]
  --only    scenarios to run (S2 means S2/1 and S2/10); default all: ${scenarios.map((s) => s.id).join(' ')}
  --target  which servers to measure; default both (the bridge only where headless mode exists)
  --quick   shorter runs, for a smoke test
  --repeat  run each scenario N times (targets alternating); the table shows medians
  --markdown  print the summary as a Markdown table (for docs/performance.md)`

function selected(only: string | undefined): Scenario[] {
  if (!only) return scenarios
  const wanted = only.split(',').map((s) => s.trim().toLowerCase())
  const picked = scenarios.filter((s) => {
    const id = s.id.toLowerCase()
    return wanted.some((w) => id === w || id.startsWith(`${w}/`))
  })
  if (picked.length === 0) throw new Error(`--only ${only} matches no scenario\n${usage}`)
  return picked
}

async function runOne(scenario: Scenario, run: () => Promise<Metrics>): Promise<Metrics> {
  const mark = cleanupMark()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${scenario.id} exceeded ${SCENARIO_TIMEOUT_MS / 1000} s`))
      void cleanupTo(mark)
    }, SCENARIO_TIMEOUT_MS)
  })
  try {
    return await Promise.race([run(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      target: { type: 'string', default: 'baseline,bridge' },
      quick: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  installExitHooks()
  const picked = selected(values.only)
  const targets = values.target.split(',').map((t) => t.trim()) as TargetName[]
  for (const t of targets) {
    if (t !== 'bridge' && t !== 'baseline') throw new Error(`unknown target ${t}\n${usage}`)
  }
  const runnable = targets.filter((t) => {
    if (targetAvailable(t)) return true
    console.error(`${t}: not available yet (no entry point), skipped`)
    return false
  })
  const scale = values.quick ? quickScale : fullScale
  const repeat = Number(values.repeat)
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) {
    throw new Error(`--repeat takes 1 to 10\n${usage}`)
  }
  const epoch = newEpoch()
  const clock = clockFrom(epoch)
  const cpu = os.cpus()
  console.error(
    `bench: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, ${os.type()} ${os.release()}${values.quick ? ', quick' : ''}`,
  )

  const runs = new Map<string, Partial<Record<TargetName, Metrics[]>>>()
  const started = Date.now()
  let busiest = 0
  for (const scenario of picked) {
    if (scenario.skip) {
      console.log(`${scenario.id} skipped: ${scenario.skip}`)
      continue
    }
    const targetsHere = runnable.filter((t) => !scenario.targets || scenario.targets.includes(t))
    if (targetsHere.length === 0) {
      console.log(`${scenario.id} skipped: measures only ${scenario.targets?.join(', ')}`)
      continue
    }
    for (let round = 1; round <= repeat; round++) {
      for (const target of targetsHere) {
        const t0 = Date.now()
        // Nothing of the bench runs now, so this is other work sharing the box.
        const busyBeforePct = await machineBusyPct()
        busiest = Math.max(busiest, busyBeforePct)
        console.error(`${scenario.id} ${scenario.title} — ${target} (${round}/${repeat}) …`)
        let line: Record<string, unknown>
        try {
          const metrics = await runOne(scenario, () =>
            scenario.run({ target, epoch, clock, scale }),
          )
          const byTarget = runs.get(scenario.id) ?? {}
          byTarget[target] = [...(byTarget[target] ?? []), metrics]
          runs.set(scenario.id, byTarget)
          line = { target, scenario: scenario.id, metrics, busyBeforePct }
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e)
          line = { target, scenario: scenario.id, error, busyBeforePct }
        }
        console.log(JSON.stringify(line))
        console.error(`  ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      }
    }
  }
  const results: Results = new Map(
    [...runs].map(([id, byTarget]) => [
      id,
      Object.fromEntries(
        Object.entries(byTarget).map(([t, list]) => [t, medianMetrics(list ?? [])]),
      ),
    ]),
  )
  console.log('')
  const format = values.markdown ? formatMarkdown : formatTable
  console.log(format(summaryHeader, summaryRows(results)))
  if (busiest > BUSY_WARN_PCT) {
    console.log(
      `\nwarning: other processes kept the machine up to ${busiest} % busy between runs ` +
        '(busyBeforePct in the JSON lines); latency figures are then mostly noise.',
    )
  }
  console.error(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exitCode = 1
  })
  .finally(() => cleanupTo(0))
