import { useId } from 'react'
import type { PortInfo } from '../../../common/engine-api'

/** "Port [select]": which port a view shows. */
export function PortSelect({
  ports,
  value,
  onSelect,
}: {
  ports: readonly PortInfo[]
  value: string
  onSelect: (portId: string) => void
}) {
  const id = useId()
  return (
    <>
      <label htmlFor={id} className="inline-label">
        Port
      </label>
      <select id={id} value={value} onChange={(e) => onSelect(e.target.value)}>
        {ports.map((p) => (
          <option key={p.id} value={p.id}>
            {p.id}
          </option>
        ))}
      </select>
    </>
  )
}
