/// <reference types="vitest/config" />
// Vite builds the app into dist/ (the gateway serves it at /); in development its server proxies
// the API to a gateway on 127.0.0.1:8000 (`make run`), so the browser still sees one origin.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const gateway = process.env.CAREERFLOW_GATEWAY_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: { "/v1": { target: gateway, changeOrigin: false } },
  },
  preview: {
    host: "127.0.0.1",
    port: 4173,
    proxy: { "/v1": { target: gateway, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    // No inline <script> or data: modules in index.html: the page's CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // The machine is shared and slow at times; a screen test waits for the app, not a clock.
    testTimeout: 20_000,
  },
});
