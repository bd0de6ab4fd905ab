/** The bag-of-words encoding of the reference preprocessing (scripts/original_preprocessing.py), byte for byte. */
export { BagOfWords, bagOfWordsFor, type CountedReviews, type WordCounts } from './bag-of-words.ts';
export {
  createPayloadEncoder,
  DEFAULT_PAYLOAD_FORMAT,
  type EncodedPayload,
  isPayloadFormat,
  PAYLOAD_CONTENT_TYPES,
  PAYLOAD_FORMATS,
  type PayloadEncoder,
  type PayloadFormat,
  payloadEncoderFor,
} from './payload.ts';
export { pythonLower, pythonSplit, reviewToWords } from './python-text.ts';
export { PYTHON_UNICODE_VERSION } from './python-unicode.generated.ts';
export { Vocabulary, VocabularyError, type VocabularyInput } from './vocabulary.ts';
