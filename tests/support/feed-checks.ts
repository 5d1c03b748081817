// Third-party judges of what we render: fast-xml-parser for XML well-formedness,
// @rowanmanning/feed-parser and feedsmith for RSS/Atom/JSON Feed, ajv with the JSON Feed
// 1.1 schema. None of them is our code.
import { createRequire } from 'node:module';
import { parseFeed as parseXmlFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed as feedsmithParse } from 'feedsmith';

const require = createRequire(import.meta.url);
const jsonFeedSchema = require('jsonfeed-schema/schema-v1.1.json') as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateJsonFeedSchema = ajv.compile(jsonFeedSchema);

/** Throws with the parser's own message when the XML is not well-formed. */
export function assertWellFormedXml(xml: string): void {
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (result !== true) {
    throw new Error(`not well-formed XML: ${result.err.msg} at line ${result.err.line}`);
  }
}

/** RSS or Atom, read by @rowanmanning/feed-parser (what several JS readers use). */
export function readXmlFeed(xml: string) {
  assertWellFormedXml(xml);
  return parseXmlFeed(xml);
}

/** Any of the three formats, read by feedsmith. */
export function readWithFeedsmith(text: string) {
  return feedsmithParse(text);
}

/** Validates a JSON Feed document against the JSON Feed 1.1 JSON Schema. */
export function assertValidJsonFeed(text: string): Record<string, unknown> {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (!validateJsonFeedSchema(doc)) {
    throw new Error(`invalid JSON Feed 1.1: ${ajv.errorsText(validateJsonFeedSchema.errors)}`);
  }
  return doc;
}
