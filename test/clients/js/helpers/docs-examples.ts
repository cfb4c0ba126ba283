import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const DOC = resolve(import.meta.dirname, '../../../../docs/clients.md')
const DOC_URL = 'ws://127.0.0.1:8765'

/** The examples of the "## JavaScript" section of docs/clients.md, as written there. */
export function javascriptExamples(): { node: string; browser: string; tls: string } {
  const text = readFileSync(DOC, 'utf8')
  const start = text.indexOf('\n## JavaScript\n')
  if (start < 0) throw new Error('docs/clients.md has no "## JavaScript" section')
  const next = text.indexOf('\n## ', start + 1)
  const section = text.slice(start, next < 0 ? undefined : next)
  const block = (lang: string): string => {
    const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)
    if (!match) throw new Error(`no \`\`\`${lang} example in the JavaScript section`)
    return match[1]!
  }
  const tls = /```js\n((?:(?!```)[\s\S])*fingerprint[\s\S]*?)```/.exec(section)
  if (!tls) throw new Error('no ```js example with fingerprint in the JavaScript section')
  return { node: block('js'), browser: block('html'), tls: tls[1]! }
}

/** An example pointed at a test's bridge instead of the default address. */
export function withUrl(example: string, url: string): string {
  if (!example.includes(`'${DOC_URL}'`)) throw new Error(`the example does not use ${DOC_URL}`)
  return example.replaceAll(`'${DOC_URL}'`, `'${url}'`)
}
