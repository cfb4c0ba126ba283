import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { pickBridge } from './bridge/pick-bridge'
import 'uplot/dist/uPlot.min.css'
import './styles.css'

const { bridge, connection } = pickBridge()
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <App bridge={bridge} connection={connection} />
  </StrictMode>,
)
