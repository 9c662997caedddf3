import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, injected into the page under test (no CDN, no extension). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AccessibilityResult {
  name: string;
  counts: Record<'critical' | 'serious' | 'moderate' | 'minor', number>;
  /** The serious and critical violations: rule id, impact, help text and the elements. */
  blocking: { id: string; impact: string; help: string; targets: string[] }[];
}

/** Every result so far, for a suite's summary line. */
export const accessibilityResults: AccessibilityResult[] = [];

/**
 * Runs axe-core (WCAG 2.x A/AA rules) on the page as it is now, prints the number of violated rules per impact
 * ("axe <name>: critical 0, serious 0, moderate 1, minor 0") and throws on any serious or
 * critical violation, naming rule and elements. Reuse it on every hosted page and SPA screen.
 */
export async function checkAccessibility(page: Page, name: string): Promise<AccessibilityResult> {
  // Evaluated as a string: the page's CSP has no script-src, and Playwright's evaluate is not subject to it.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, options: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      // No fetching of cross-origin stylesheets (a tenant's custom CSS): the page's CSP forbids it, rightly.
      preload: false,
    })) as { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'minor',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) counts[v.impact as keyof typeof counts] += 1;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const result = { name, counts, blocking };
  accessibilityResults.push(result);
  const others = violations.filter((v) => !blocking.includes(v)).map((v) => `${v.id} (${v.impact})`);
  console.log(
    `axe ${name}: critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}` +
      (others.length ? ` [${others.join(', ')}]` : ''),
  );
  if (blocking.length) {
    throw new Error(
      `axe: ${blocking.length} serious/critical violation(s) on ${name}:\n` +
        blocking.map((v) => `  ${v.impact} ${v.id}: ${v.help} — ${v.targets.join(', ')}`).join('\n'),
    );
  }
  return result;
}

/** checkAccessibility, printing the blocking violations at once too (not only when the suite's test fails). */
export const checkAccessibilityAloud = (page: Page, name: string): Promise<AccessibilityResult> =>
  checkAccessibility(page, name).catch((error: unknown) => {
    console.log(String(error));
    throw error;
  });
