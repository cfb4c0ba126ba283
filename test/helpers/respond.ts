import { DelimiterParser } from '@serialport/parser-delimiter'
import type { Instrument } from './instrument'

/** Plays the instrument: answers each line it receives with what `answer` returns. */
export function respond(
  instrument: Instrument,
  answer: (line: string) => string | undefined,
): () => void {
  const parser = instrument.port.pipe(new DelimiterParser({ delimiter: '\n' }))
  parser.on('data', (line: Buffer) => {
    const reply = answer(line.toString())
    if (reply !== undefined) void instrument.write(reply)
  })
  return () => {
    instrument.port.unpipe(parser)
    parser.removeAllListeners('data')
  }
}
