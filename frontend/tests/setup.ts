import { afterAll } from 'vitest'
import { loadLocale } from '@/i18n'

// English is a lazy chunk in the app; specs switch languages synchronously, so have it loaded up front.
await loadLocale('en')

// jsdom lacks scrolling; the router's scrollBehavior calls it after every navigation.
window.scrollTo = () => {}

// Vant's tab bar (safe-area-inset-bottom) measures itself 100, 200 and 300 ms after mounting and does not
// cancel those timers on unmount; let them run before the file's jsdom window is torn down, or they
// throw "window is not defined" when a file ends right after mounting a page with the tab bar.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 350)))
