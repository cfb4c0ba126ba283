import type { ComponentPropsWithoutRef } from 'react'
import { Field } from './field'

type InputProps = Omit<
  ComponentPropsWithoutRef<'input'>,
  'id' | 'className' | 'value' | 'onChange' | 'aria-invalid' | 'aria-describedby'
>

export interface TextFieldProps extends InputProps {
  label: string
  hint?: string
  /** Class of the field around the input, e.g. `wide`. */
  className?: string
  value: string
  onChange: (value: string) => void
  invalid?: boolean
}

/** A labelled text input; `invalid` marks it when an error names its field. */
export function TextField({
  label,
  hint,
  className,
  value,
  onChange,
  invalid,
  ...input
}: TextFieldProps) {
  return (
    <Field label={label} hint={hint} className={className}>
      {(p) => (
        <input
          {...p}
          {...input}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  )
}
