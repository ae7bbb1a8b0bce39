/** PII guardrail: detection (`detectPii`), reversible redaction (`PiiVault`) and one-way log masking. */
export { PII_TYPES, isPiiType, type PiiSpan, type PiiType } from "./types.js";
export { detectPii, TYPE_PRIORITY, type DetectOptions } from "./detect.js";
export { PiiVault, loadVault, saveVault, VAULT_NAMESPACE, type PiiVaultJSON, type PiiVaultOptions, type RedactionResult, type RedactionToken, type VaultStore } from "./vault.js";
export { redactForLogs, redactValueForLogs, type LogMaskOptions } from "./log-mask.js";
export { luhnValid, ibanValid, ssnValid, cardPrefixValid } from "./checksums.js";
