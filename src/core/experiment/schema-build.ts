/**
 * Builders for the project's published schemas (./json-schema.ts validates them), so that the
 * files that describe one section each write fields the same way:
 *
 *   - record fields (run-record sections: `denali`, `load`): every number ≥ 0, every object
 *     closed with all its properties required, each with a description (units in brackets);
 *   - config fields (experiment objects: `denali`, `load`): a number in [minimum, maximum] with
 *     its default.
 */
import type { JsonSchema } from './json-schema';

/** A closed object whose properties are all required (`extra` overrides, e.g. a shorter `required`). */
export const recordObject = (description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  type: 'object', description, additionalProperties: false, required: Object.keys(properties), properties, ...extra,
});
export const recordInt = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
export const recordNum = (description: string): JsonSchema => ({ type: 'number', minimum: 0, description });
export const recordNumOrNull = (description: string): JsonSchema => ({ type: ['number', 'null'], minimum: 0, description });
/** Counts by name. */
export const recordCounts = (description: string): JsonSchema => ({ type: 'object', description, additionalProperties: { type: 'integer', minimum: 0 } });

/** A config integer in [minimum, maximum], with its default when it has one. */
export const configInt = (description: string, minimum: number, maximum: number, dflt?: number) => ({ type: 'integer', minimum, maximum, description, ...(dflt !== undefined ? { default: dflt } : {}) });
/** A config number in [minimum, maximum], with its default when it has one. */
export const configNum = (description: string, minimum: number, maximum: number, dflt?: number) => ({ type: 'number', minimum, maximum, description, ...(dflt !== undefined ? { default: dflt } : {}) });
