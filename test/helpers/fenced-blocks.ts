import { readFileSync } from 'node:fs'

/** The fenced code blocks of a Markdown file tagged `lang` (```sh …```), in order, as written. */
export function fencedBlocks(path: string, lang: string): string[] {
  const text = readFileSync(path, 'utf8')
  return [...text.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map(
    (m) => m[1]!,
  )
}
