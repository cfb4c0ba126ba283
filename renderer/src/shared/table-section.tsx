import { useId, type ReactNode } from 'react'
import { ActionMessage } from './action-message'
import { DataTable } from './data-table'
import type { ActionStatus } from './use-action'

export interface TableSectionProps {
  heading: string
  /** The outcome of the last action taken from this section. */
  status: ActionStatus | null
  columns: readonly string[]
  /** One `<tr>` per record. */
  rows: ReactNode[]
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode
  /** Buttons beside the heading. */
  actions?: ReactNode
}

/** A titled section listing records in a scrolling table, or saying that there are none. */
export function TableSection({
  heading,
  status,
  columns,
  rows,
  empty,
  actions,
}: TableSectionProps) {
  const id = useId()
  return (
    <section aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{heading}</h2>
        {actions}
        <ActionMessage status={status} />
      </div>
      {rows.length === 0 ? (
        empty
      ) : (
        <div className="table-scroll">
          <DataTable columns={columns}>{rows}</DataTable>
        </div>
      )}
    </section>
  )
}
