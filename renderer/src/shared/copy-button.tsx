import { useState } from 'react'
import { copyText } from './copy-text'

/** A Copy button that says whether it worked. `label` names what is copied, for screen readers. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null)
  return (
    <span className="copy">
      <button
        type="button"
        aria-label={`Copy ${label}`}
        onClick={async () => setResult((await copyText(text)) ? 'copied' : 'failed')}
      >
        Copy
      </button>
      <span role="status" className="copy-result">
        {result === 'copied' && 'Copied'}
        {result === 'failed' && 'Could not copy: select the text and press Ctrl+C'}
      </span>
    </span>
  )
}
