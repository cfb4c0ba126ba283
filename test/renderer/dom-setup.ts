import { GlobalRegistrator } from '@happy-dom/global-registrator'

/**
 * A DOM for component tests (happy-dom), registered before React loads. Imported first by
 * every `*.test.tsx` here. Updates that arrive from the bridge's promises happen outside
 * act(); the tests wait for their result on screen instead, so act()'s warnings are off.
 */
GlobalRegistrator.register({ url: 'http://127.0.0.1:8765/app/', width: 1024, height: 700 })
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false

// Test files run in parallel processes; on a busy two-core machine 1 s (the default) is short.
const { configure } = await import('@testing-library/react')
configure({ asyncUtilTimeout: 5000 })
