/**
 * Every component test starts from a clean page: no cookies, no stored timer choice, the real
 * fetch and EventSource (that is, none) until a test puts its fakes in place.
 */
import "@testing-library/jest-dom/vitest";
import { Blob as NodeBlob, File as NodeFile } from "node:buffer";
import { cleanup, configure } from "@testing-library/react";

// jsdom's FormData, File and Blob are not the ones Node's fetch (undici) reads: a jsdom File in
// a FormData would be sent as the string "undefined". A browser has one kind of each; so do the
// tests. (Node's FormData is not importable by name: its Response hands one out.)
const nodeFormData = await new Response("", {
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
}).formData();
globalThis.FormData = nodeFormData.constructor as typeof FormData;
globalThis.Blob = NodeBlob as unknown as typeof Blob;
globalThis.File = NodeFile as unknown as typeof File;

// The machine running the tests may be busy: find* waits up to 5 s for the app, not 1 s.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
  sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
