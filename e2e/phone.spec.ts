/**
 * The store on a 390-px phone: the header takes a small part of the screen (and scrolls away), the cart stays in
 * sight, and no page scrolls sideways (My data's tables wrap their cells).
 */
import { expect, test, type Page } from '@playwright/test';

test.use({ viewport: { width: 390, height: 844 } });

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a 390-px phone: a compact header, the cart in sight, nothing wider than the screen', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => 'HushCart' in window);
  const header = await page.locator('header.top').boundingBox();
  expect(header?.height).toBeLessThan(844 * 0.15);
  await expect(page.getByTestId('cart-count')).toBeInViewport();
  expect(await sideways(page)).toBe(0);

  await page.evaluate(() =>
    (window as unknown as { HushCart: { track(e: object): Promise<unknown> } }).HushCart.track({
      type: 'view',
      itemId: 'ml-1',
    }),
  );
  await page.getByRole('link', { name: 'My data' }).first().click();
  await expect(page.getByTestId('storage').locator('table')).toBeVisible();
  await expect(page.getByTestId('storage')).toContainText('1 events');
  expect(await sideways(page)).toBe(0);
});
