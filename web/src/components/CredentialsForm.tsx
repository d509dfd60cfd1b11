/**
 * Email and password, for signing up and signing in. Field errors appear under their field and
 * are tied to it, so a screen reader reads them with the field.
 */
import { type FormEvent, type ReactNode, useId, useState } from "react";
import type { Credentials } from "../api/accounts";
import { Notice } from "./Notice";

interface Props {
  submitText: string;
  busyText: string;
  busy: boolean;
  /** "new-password" at sign-up (browsers offer to generate one), else "current-password". */
  passwordAutocomplete: "new-password" | "current-password";
  passwordHint?: string;
  /** A message for the whole form (wrong pair, too many attempts...). */
  formError: string | null;
  fieldErrors: Partial<Record<keyof Credentials, string>>;
  onSubmit: (credentials: Credentials) => void;
  children?: ReactNode;
}

export function CredentialsForm({
  submitText,
  busyText,
  busy,
  passwordAutocomplete,
  passwordHint,
  formError,
  fieldErrors,
  onSubmit,
  children,
}: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const ids = {
    email: useId(),
    password: useId(),
    hint: useId(),
    emailErr: useId(),
    pwErr: useId(),
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({ email: email.trim(), password });
  }

  const passwordDescribedBy =
    [passwordHint ? ids.hint : null, fieldErrors.password ? ids.pwErr : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form className="card form" onSubmit={submit} noValidate>
      {formError ? (
        <Notice level="error">
          <p>{formError}</p>
        </Notice>
      ) : null}
      <div className="field">
        <label htmlFor={ids.email} className="field-label">
          Email
        </label>
        <input
          id={ids.email}
          className="input"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={fieldErrors.email ? true : undefined}
          aria-describedby={fieldErrors.email ? ids.emailErr : undefined}
        />
        {fieldErrors.email ? (
          <p id={ids.emailErr} className="field-error">
            {fieldErrors.email}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={ids.password} className="field-label">
          Password
        </label>
        <input
          id={ids.password}
          className="input"
          type={showPassword ? "text" : "password"}
          name="password"
          autoComplete={passwordAutocomplete}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={passwordDescribedBy}
        />
        {passwordHint ? (
          <p id={ids.hint} className="field-hint">
            {passwordHint}
          </p>
        ) : null}
        {fieldErrors.password ? (
          <p id={ids.pwErr} className="field-error">
            {fieldErrors.password}
          </p>
        ) : null}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showPassword}
            onChange={(event) => setShowPassword(event.target.checked)}
          />
          Show password
        </label>
      </div>
      <button type="submit" className="button button-primary button-wide" disabled={busy}>
        {busy ? busyText : submitText}
      </button>
      {children}
    </form>
  );
}
