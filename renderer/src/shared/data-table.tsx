import type { ReactNode } from 'react'

/** A table of records under column headings; each row ends with a cell for its buttons. */
export function DataTable({
  columns,
  children,
}: {
  columns: readonly string[]
  /** The rows. */
  children: ReactNode
}) {
  return (
    <table className="data-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
}
