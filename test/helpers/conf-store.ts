import Conf from 'conf'
import type { CreateStore } from '../../main/shell/app-store'

/** The app store on `conf`, the library under electron-store, which runs in plain Node. */
export const createConfStore: CreateStore = ({ cwd, name, configFileMode }) =>
  new Conf<Record<string, unknown>>({ cwd, configName: name, configFileMode })
