/** A section's errors under its fields, each starting with the field it names. */
export function FieldErrors({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null
  return (
    <ul className="field-errors">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  )
}
