import { PHONE_PATTERN } from '@/api/spec-constants'

// The server's rule, taken from openapi.yaml (see tools/gen-spec-constants.mjs); until the spec states a
// pattern, any 11 digits starting with 1 pass here and the server has the last word.
const PHONE = new RegExp(PHONE_PATTERN ?? '^1\\d{10}$')

/**
 * What a person typed as a phone number, as the server expects it: full-width digits (１３８…) made
 * ASCII, and the spaces, dashes and brackets people put between groups of digits dropped.
 */
export function normalisePhone(input: string): string {
  return input
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-‐–—()（）]/g, '')
}

export function isPhone(input: string): boolean {
  return PHONE.test(normalisePhone(input))
}
