/**
 * The accounts API (/v1/auth), typed by hand.
 *
 * TO BE REPLACED by calls through the generated client (`api.POST("/v1/auth/signin", ...)`) once
 * the gateway's OpenAPI document has these routes: regenerate with `npm run generate:client`,
 * then delete this module. It follows the contract in web/README.md ("The contract with the
 * gateway") exactly, and nothing else.
 */
import { fetchJson } from "./http";

/** The signed-in person: `GET /v1/auth/me`, and the answer of sign-up and sign-in. */
export interface Account {
  id: string;
  email: string;
}

export interface Credentials {
  email: string;
  /** 12 to 256 characters at sign-up. */
  password: string;
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** 201, sets the cookies; 409 when the email is taken; 422 naming the field. */
export function signUp(credentials: Credentials): Promise<Account> {
  return fetchJson<Account>("POST", "/v1/auth/signup", credentials);
}

/** 200, sets the cookies; 401 on a wrong pair; 429 with Retry-After when rate-limited. */
export function signIn(credentials: Credentials): Promise<Account> {
  return fetchJson<Account>("POST", "/v1/auth/signin", credentials);
}

/** 204: clears the cookies and revokes the server-side session. */
export function signOut(): Promise<void> {
  return fetchJson<void>("POST", "/v1/auth/signout");
}

/** 200 with the account, or 401 (an ApiError) when nobody is signed in. */
export function currentAccount(): Promise<Account> {
  return fetchJson<Account>("GET", "/v1/auth/me");
}

/** 204: the account and every interview in it are erased; the cookies cleared. */
export function deleteAccount(): Promise<void> {
  return fetchJson<void>("DELETE", "/v1/auth/me");
}
