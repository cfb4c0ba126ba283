import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppendFile } from './append-file'
import { recordingFileName } from './file-names'
import { writeError } from './write-errors'

/**
 * Makes the next file of a port's recording, named by `now` (`-2`, `-3`, ... when taken). The
 * first file makes the folders it needs; a later one needs the recordings folder `root` still
 * there, and makes at most the port's `folder` inside it.
 */
export async function newRecordingFile(
  root: string,
  folder: string,
  now: number,
  first: boolean,
): Promise<AppendFile> {
  if (first) await mkdir(folder, { recursive: true })
  else {
    // Never make the recordings folder again after it went (an unmounted disk would then
    // fill the disk under it): only the port's folder, inside a folder that is there.
    if (!(await stat(root)).isDirectory()) throw writeError('ENOTDIR', 'not a folder')
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
  for (let n = 1; ; n++) {
    try {
      return await AppendFile.create(join(folder, recordingFileName(now, n)))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error
    }
  }
}
