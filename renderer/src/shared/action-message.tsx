import type { ActionStatus } from './use-action'

/** A live region that is always in the page, so screen readers announce each change. */
export function ActionMessage({ status, id }: { status: ActionStatus | null; id?: string }) {
  return (
    <p id={id} role="status" className={`action-message ${status ? status.kind : ''}`}>
      {status?.kind === 'busy' && <span className="spinner" aria-hidden="true" />}
      {status?.text}
    </p>
  )
}
