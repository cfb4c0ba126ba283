import { Field } from './field'

export interface SelectOption<T extends string> {
  value: T
  label: string
}

export interface SelectFieldProps<T extends string> {
  label: string
  hint?: string
  value: T
  onChange: (value: T) => void
  options: readonly SelectOption<T>[]
}

/** A labelled drop-down of fixed options. */
export function SelectField<T extends string>({
  label,
  hint,
  value,
  onChange,
  options,
}: SelectFieldProps<T>) {
  return (
    <Field label={label} hint={hint}>
      {(p) => (
        // Only the options' values can be chosen, so the cast holds.
        <select {...p} value={value} onChange={(e) => onChange(e.target.value as T)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
