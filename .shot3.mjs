import { chromium } from 'playwright-core';
const [url, sel, out] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1200, height: 1600 } });
await p.goto(url);
await p.locator(sel).first().screenshot({ path: out });
await b.close();
