import {
  PasswordInput,
  type PasswordInputProps,
  Switch,
  type SwitchProps,
  TextInput,
  type TextInputProps,
} from '@mantine/core';

/** A field's props with `onChange` taking the value (a state setter) rather than the DOM event. */
type Bound<Props, Value> = Omit<Props, 'onChange'> & { onChange: (value: Value) => void };

/** A text input bound to a string (`value` and its setter). */
export const TextField = ({ onChange, ...props }: Bound<TextInputProps, string>) => (
  <TextInput {...props} onChange={(event) => onChange(event.currentTarget.value)} />
);

/** A password input bound to a string. */
export const PasswordField = ({ onChange, ...props }: Bound<PasswordInputProps, string>) => (
  <PasswordInput {...props} onChange={(event) => onChange(event.currentTarget.value)} />
);

/** A switch bound to a boolean (`checked` and its setter). */
export const SwitchField = ({ onChange, ...props }: Bound<SwitchProps, boolean>) => (
  <Switch {...props} onChange={(event) => onChange(event.currentTarget.checked)} />
);
