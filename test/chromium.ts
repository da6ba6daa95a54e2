// How the test suites start Debian's Chromium (headless, no sandbox in CI containers, no
// background traffic): shared by the Playwright-driven tests and vitest.browser.config.ts.

/** Launch options for Playwright's `chromium.launch` (`CHROMIUM_PATH` overrides the binary). */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
