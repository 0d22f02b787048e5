export { type BlindIndexKind, blindIndex } from "./blind-index.js";
export { FieldCipher, type KeyringEntry } from "./field-cipher.js";
export {
  maskAddress,
  maskEmail,
  maskFor,
  maskName,
  maskNationalId,
  maskPhone,
  type PiiField,
  type PiiViewer,
  presentPii,
  type StaffRole,
  type Visibility,
  visibilityFor,
  visiblePii,
} from "./masking.js";
export { type ShownForm, ShownValues } from "./shown-values.js";
export {
  makeNationalId,
  type NationalIdResult,
  nationalIdCheckCharacter,
  normalizeEmail,
  normalizeNationalId,
  normalizePhone,
  type PhoneResult,
  validateEmail,
  validateMainlandMobile,
  validateNationalId,
} from "./validators.js";
