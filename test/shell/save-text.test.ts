import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createSaveText } from '../../main/shell/save-text'

describe('save text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-save-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('suggests the name in the default folder and writes the chosen file', async () => {
    const asked: string[] = []
    const save = createSaveText(
      async (defaultPath) => {
        asked.push(defaultPath)
        return join(dir, 'chosen.txt')
      },
      () => dir,
    )
    assert.equal(await save('stream-COM3.txt', 'T=21.5\nT=21.6\n'), join(dir, 'chosen.txt'))
    assert.deepEqual(asked, [join(dir, 'stream-COM3.txt')])
    assert.equal(readFileSync(join(dir, 'chosen.txt'), 'utf8'), 'T=21.5\nT=21.6\n')
  })

  it('uses only the last segment of a suggested name', async () => {
    const asked: string[] = []
    const save = createSaveText(
      async (defaultPath) => {
        asked.push(defaultPath)
        return null
      },
      () => dir,
    )
    await save('..\\..\\Windows\\evil.txt', 'x')
    await save('../../etc/passwd', 'x')
    await save('/', 'x')
    assert.deepEqual(asked, [
      join(dir, 'evil.txt'),
      join(dir, 'passwd'),
      join(dir, 'serial-bridge.txt'),
    ])
  })

  it('returns null and writes nothing when the dialog is cancelled', async () => {
    const save = createSaveText(
      async () => null,
      () => dir,
    )
    assert.equal(await save('x.txt', 'never written'), null)
    assert.throws(() => readFileSync(join(dir, 'x.txt')))
  })
})
