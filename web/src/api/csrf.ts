/**
 * The double-submit CSRF token: the gateway sets the `careerflow_csrf` cookie (readable by
 * scripts, SameSite=Strict) and refuses an unsafe request made with the session cookie unless
 * the `X-CSRF-Token` header repeats it. A page on another site can send our cookies but cannot
 * read them, so it cannot repeat the token.
 */

export const CSRF_COOKIE = "careerflow_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** True for the methods that change something (POST, PUT, PATCH, DELETE, ...). */
export function isUnsafe(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The token from `document.cookie`, or null before the gateway has set one. */
export function readCsrfToken(cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** Adds the token to `headers` when `method` is unsafe and the cookie is there. */
export function withCsrf(method: string, headers: Headers): Headers {
  const token = isUnsafe(method) ? readCsrfToken() : null;
  if (token) headers.set(CSRF_HEADER, token);
  return headers;
}
