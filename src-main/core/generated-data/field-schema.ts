/**
 * The field schema of a data generator: one entry per column, each a kind of fake value
 * (@faker-js/faker). A Faker instance per run, seeded, makes a run reproducible: the same params
 * and seed give the same rows, byte for byte, on any machine.
 */
import { base, en, Faker } from '@faker-js/faker';
import { z } from 'zod';

const textKinds = ['fullName', 'firstName', 'lastName', 'email', 'company', 'uuid', 'city', 'country', 'phone', 'url', 'word', 'sentence', 'paragraph'] as const;

const fieldName = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'must be a column name: letters, digits and _, starting with a letter or _' });
const bound = z.number().refine(Number.isSafeInteger, { error: 'must be a whole number within ±2^53' });
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (YYYY-MM-DD) or an ISO date-time' });

export const fieldSchema = z.discriminatedUnion('kind', [
  z.strictObject({ name: fieldName, kind: z.enum(textKinds) }),
  z.strictObject({ name: fieldName, kind: z.literal('boolean') }),
  z.strictObject({ name: fieldName, kind: z.literal('integer'), min: bound, max: bound }),
  z.strictObject({ name: fieldName, kind: z.literal('number'), min: z.number(), max: z.number(), fractionDigits: z.number().int().min(0).max(10).default(2) }),
  z.strictObject({ name: fieldName, kind: z.literal('date'), from: instant, to: instant }),
  z.strictObject({ name: fieldName, kind: z.literal('enum'), values: z.array(z.string().min(1).max(200)).min(1).max(1000) }),
  z.strictObject({ name: fieldName, kind: z.literal('sequence'), start: bound.default(1) }),
]);
export type Field = z.infer<typeof fieldSchema>;

/** The field list, with the checks that span a field (ranges in order) or the list (unique names). */
export const fieldsSchema = z
  .array(fieldSchema)
  .min(1, { error: 'add at least one field' })
  .max(200)
  .superRefine((fields, check) => {
    const seen = new Set<string>();
    fields.forEach((field, i) => {
      if (seen.has(field.name)) check.addIssue({ code: 'custom', path: [i, 'name'], message: `${field.name} is used by another field` });
      seen.add(field.name);
      if ((field.kind === 'integer' || field.kind === 'number') && field.min > field.max) {
        check.addIssue({ code: 'custom', path: [i, 'max'], message: 'must not be less than min' });
      }
      if (field.kind === 'date' && Date.parse(field.from) > Date.parse(field.to)) {
        check.addIssue({ code: 'custom', path: [i, 'to'], message: 'must not be before from' });
      }
    });
  });

export type CellValue = string | number | boolean | Date;
export type GeneratedRow = Record<string, CellValue>;

/** The Parquet type of a field's column (integers beyond 32 bits are written as doubles). */
export function parquetType(field: Field): 'STRING' | 'BOOLEAN' | 'INT32' | 'DOUBLE' | 'TIMESTAMP' {
  switch (field.kind) {
    case 'boolean':
      return 'BOOLEAN';
    case 'integer':
      return field.min >= -(2 ** 31) && field.max < 2 ** 31 ? 'INT32' : 'DOUBLE';
    case 'sequence':
      return 'DOUBLE';
    case 'number':
      return 'DOUBLE';
    case 'date':
      return 'TIMESTAMP';
    default:
      return 'STRING';
  }
}

/** A seeded row maker: call it for row 0, 1, 2… in order. */
export function rowMaker(fields: Field[], seed: number): (index: number) => GeneratedRow {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const makers = fields.map((field) => [field.name, valueMaker(faker, field)] as const);
  return (index) => {
    const row: GeneratedRow = {};
    for (const [name, make] of makers) row[name] = make(index);
    return row;
  };
}

function valueMaker(faker: Faker, field: Field): (index: number) => CellValue {
  switch (field.kind) {
    case 'fullName':
      return () => faker.person.fullName();
    case 'firstName':
      return () => faker.person.firstName();
    case 'lastName':
      return () => faker.person.lastName();
    case 'email':
      return () => faker.internet.email();
    case 'company':
      return () => faker.company.name();
    case 'uuid':
      return () => faker.string.uuid();
    case 'city':
      return () => faker.location.city();
    case 'country':
      return () => faker.location.country();
    case 'phone':
      return () => faker.phone.number();
    case 'url':
      return () => faker.internet.url();
    case 'word':
      return () => faker.lorem.word();
    case 'sentence':
      return () => faker.lorem.sentence();
    case 'paragraph':
      return () => faker.lorem.paragraph();
    case 'boolean':
      return () => faker.datatype.boolean();
    case 'integer':
      return () => faker.number.int({ min: field.min, max: field.max });
    case 'number':
      return () => faker.number.float({ min: field.min, max: field.max, fractionDigits: field.fractionDigits });
    case 'date': {
      const from = new Date(field.from);
      const to = new Date(field.to);
      return () => faker.date.between({ from, to });
    }
    case 'enum':
      return () => faker.helpers.arrayElement(field.values);
    case 'sequence':
      return (index) => field.start + index;
  }
}
