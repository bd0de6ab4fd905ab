/**
 * The document both model readers (JSON text and UBJSON) produce. It is xgboost's own value model: a
 * float in the document is a float32 (xgboost's `Number` is a `float`), an integer an integer, and UBJSON's
 * typed arrays stay typed arrays, so a model's big node arrays are never boxed one number at a time.
 */

/** An array whose elements are all numbers: a JSON array of numbers, or a UBJSON typed array. */
export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array;

/** A JSON object. Built without a prototype, so a key such as `__proto__` is only a key. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any value of a model document. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject | NumericArray;

/** Whether `value` is a JSON object (not an array, typed array or null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** A new object without a prototype. */
export function emptyJsonObject(): JsonObject {
  return Object.create(null) as JsonObject;
}
