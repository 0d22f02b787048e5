// Message templates (话术模板): versioned per channel and language, typed variables, the
// compliance content check, four-eyes approval, and sending an approved one through the gateway.
export { type TemplateChannel, type TemplatePurpose, templateChannels, templatePurposes } from "./domain/template-lifecycle.js";
export { formatMoney, renderTemplate } from "./domain/template-render.js";
export { parseTemplate } from "./domain/template-syntax.js";
export { sampleValues, type TemplateLanguage, type TemplateValues, variableCatalogue, variableNames } from "./domain/template-variables.js";
export {
  type ApprovedTemplate,
  approvedTemplatesOf,
  type RenderedMessage,
  renderApprovedTemplate,
  templateVersionById,
} from "./reminder-templates.service.js";
export { templateRoutes } from "./templates.routes.js";
export { type NewTemplate, seedApprovedTemplate, sendTemplateMessage, type TemplateView } from "./templates.service.js";
