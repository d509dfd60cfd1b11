/**
 * The accounts API (/v1/auth), through the generated, typed client. The gateway keeps the
 * browser's session in cookies: an HttpOnly session cookie, and the CSRF cookie the client
 * repeats in `X-CSRF-Token` on unsafe requests (signup and signin are exempt: no session yet).
 */
import type { components } from "../client/schema";
import { api, unwrap } from "./http";

/** The signed-in person: `GET /v1/auth/me`, and the answer of sign-up and sign-in. */
export type Account = components["schemas"]["AccountView"];
export type Credentials = components["schemas"]["AccountCreate"];

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** 201, sets the cookies; 409 when the email is taken; 422 naming the field. */
export function signUp(credentials: Credentials): Promise<Account> {
  return unwrap(api.POST("/v1/auth/signup", { body: credentials }));
}

/** 200, sets the cookies; 401 on a wrong pair; 429 with Retry-After when rate-limited. */
export function signIn(credentials: Credentials): Promise<Account> {
  return unwrap(api.POST("/v1/auth/signin", { body: credentials }));
}

/** 204: clears the cookies and revokes the server-side session. */
export async function signOut(): Promise<void> {
  await unwrap(api.POST("/v1/auth/signout"));
}

/** 200 with the account, or 401 (an ApiError) when nobody is signed in. */
export function currentAccount(): Promise<Account> {
  return unwrap(api.GET("/v1/auth/me"));
}

/** 204: the account and every interview in it are erased; the cookies cleared. */
export async function deleteAccount(): Promise<void> {
  await unwrap(api.DELETE("/v1/auth/me"));
}
