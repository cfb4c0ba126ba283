/** The errors that stopped a form being saved, announced when they appear. */
export function FormErrors({ errors, id }: { errors: readonly string[]; id?: string }) {
  if (errors.length === 0) return null
  return (
    <div id={id} role="alert" className="form-errors">
      <p>Please fix:</p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  )
}
