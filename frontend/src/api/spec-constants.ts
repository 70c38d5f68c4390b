// Generated from ../openapi.yaml by tools/gen-spec-constants.mjs (npm run gen:api). Do not edit.

/** The `pattern` of the API's phone fields; null while the spec states none. */
export const PHONE_PATTERN: string | null = "^1[3-9]\\d{9}$"

/** The API takes case photos (multipart POST /cases and POST /cases/{case_id}/photos). */
export const CASE_PHOTOS: boolean = true
